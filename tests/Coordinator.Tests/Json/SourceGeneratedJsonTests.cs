using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using XmppScanCluster.Coordinator.Clients.Matrix;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Json;

namespace XmppScanCluster.Coordinator.Tests.Json;

/// <summary>
/// Issue 14, "no JIT at start": every JsonSerializer call goes through source-generated metadata. Reflection-based
/// serialization is switched off in the program (and in Shared.Tests and ScanNode.Tests; this test host keeps it for
/// PuppeteerSharp), so a call without metadata throws; these tests check the program's switch and what the contexts
/// must hold for the output to stay what it was.
/// </summary>
public class SourceGeneratedJsonTests
{
    private static readonly JsonSerializerContext[] Contexts =
        [SharedJsonContext.Default, ProbeFactsJsonContext.Default, MatrixJsonContext.Default];

    [Fact]
    public void ReflectionSerialization_isOff_inTheProgram()
    {
        // The program's own switch: xmppscan.runtimeconfig.json is what `dotnet xmppscan.dll` and the published tool read.
        var config = Path.Combine(Path.GetDirectoryName(typeof(MatrixJson).Assembly.Location)!, "xmppscan.runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(config));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(properties.GetProperty("System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault").GetBoolean());
    }

    [Fact]
    public void ATypeWithoutGeneratedMetadata_isRefused_notSerializedByReflection()
    {
        foreach (var context in Contexts)
        {
            Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(new Unlisted("x"), context.Options));
        }
    }

    [Fact]
    public void EveryEnumOfEachContext_isWrittenAsASnakeCaseString()
    {
        var enums = 0;
        foreach (var context in Contexts)
        {
            foreach (var info in GeneratedTypeInfos(context))
            {
                var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
                if (!type.IsEnum)
                {
                    continue;
                }

                enums++;
                Assert.True(context.Options.Converters.Any(c => c.GetType() == typeof(SnakeCaseEnum<>).MakeGenericType(type)),
                    $"{context.GetType().Name}: {type.Name} has no SnakeCaseEnum<{type.Name}> in Converters (it would be written as a number)");
                var first = Enum.GetValues(type).GetValue(0)!;
                var name = type.GetField(first.ToString()!)!.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), false)
                    .Cast<JsonStringEnumMemberNameAttribute>().SingleOrDefault()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(first.ToString()!);
                Assert.Equal(name,
                    JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(first, context.GetTypeInfo(type)!), StringInfo));
            }
        }

        Assert.True(enums >= 30, $"only {enums} enums found: the walk over the contexts is broken");
    }

    [Fact]
    public void EveryProbesFactsRecord_hasGeneratedMetadata()
    {
        foreach (var check in VulnerabilityChecks.All)
        {
            var facts = FactsType(check.GetType());
            Assert.True(facts is not null, $"{check.Id}: not a VulnerabilityCheck<TFacts>");
            Assert.True(ProbeFactsJsonContext.Default.GetTypeInfo(facts) is not null,
                $"{check.Id}: {facts.Name} is missing from ProbeFactsJsonContext");
        }
    }

    private static JsonTypeInfo<string> StringInfo =>
        (JsonTypeInfo<string>)SharedJsonContext.Default.GetTypeInfo(typeof(string))!;

    private static IEnumerable<JsonTypeInfo> GeneratedTypeInfos(JsonSerializerContext context) =>
        context.GetType().GetProperties()
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(JsonTypeInfo<>))
            .Select(p => (JsonTypeInfo)p.GetValue(context)!);

    private static Type? FactsType(Type? check)
    {
        for (; check is not null; check = check.BaseType)
        {
            if (check.IsGenericType && check.GetGenericTypeDefinition() == typeof(VulnerabilityCheck<>))
            {
                return check.GetGenericArguments()[0];
            }
        }

        return null;
    }

    private sealed record Unlisted(string Name);
}
