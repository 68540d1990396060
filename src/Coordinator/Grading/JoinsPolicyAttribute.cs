using System.Diagnostics.CodeAnalysis;

namespace XmppScanCluster.Coordinator.Grading;

/// <summary>
/// Puts a rule into a policy from its own file, so a new probe's rule needs no edit of <see cref="Policies"/>: the
/// rule joins policy <see cref="Policy"/> at <see cref="Version"/>, and the policy's version becomes at least that
/// (a changed policy gets a new version, never an in-place edit; grades recorded under the old version stay as they were).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class JoinsPolicyAttribute(string policy, int version) : Attribute
{
    public string Policy => policy;

    public int Version => version;
}

/// <summary>Finds the rules that join a policy by <see cref="JoinsPolicyAttribute"/>.</summary>
// Found by reflection over this assembly, on purpose (no list to edit): the Native AOT publish keeps the assembly whole
// (TrimmerRootAssembly in the csproj), and without a file behind the assembly GradingTypes falls back to GetTypes.
[UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The assembly is kept whole in trimmed publishes.")]
[UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The assembly is kept whole in trimmed publishes.")]
[UnconditionalSuppressMessage("Trimming", "IL2077", Justification = "The assembly is kept whole in trimmed publishes.")]
[UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty Location is handled: GetTypes instead.")]
public static class JoiningRules
{
    private static readonly IReadOnlyList<Type> Candidates = [.. GradingTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IGradingRule).IsAssignableFrom(t)
            && t.GetConstructor(Type.EmptyTypes) is not null)];

    /// <summary>The types of this assembly's grading namespaces, found by name in its metadata. Not
    /// <c>Assembly.GetTypes()</c>: that loads every type and so every assembly a base type lives in — `xmppscan scan`
    /// then mapped Akka, Akka.Cluster.Sharding and Npgsql for the cluster's actors while building its grading policies
    /// (ScanRunsNoActorSystemTests).</summary>
    private static IEnumerable<Type> GradingTypes()
    {
        var assembly = typeof(JoiningRules).Assembly;
        if (assembly.Location.Length == 0)
        {
            return assembly.GetTypes(); // no file to read (single-file host): every type, as before
        }

        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly.Location));
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var prefix = typeof(JoiningRules).Namespace!;
        var names = new List<string>();
        foreach (var handle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(handle);
            var ns = metadata.GetString(type.Namespace);
            if (type.GetDeclaringType().IsNil && (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal)))
            {
                names.Add($"{ns}.{metadata.GetString(type.Name)}");
            }
        }

        return names.Select(n => assembly.GetType(n, throwOnError: true)!);
    }

    /// <summary>The rules among <paramref name="candidates"/> (default: every rule of this assembly) that join
    /// <paramref name="policy"/>, with the version each joined at, in type-name order.</summary>
    public static IReadOnlyList<(IGradingRule Rule, int Version)> For(string policy, IEnumerable<Type>? candidates = null) =>
        [.. (candidates ?? Candidates)
            .SelectMany(t => t.GetCustomAttributes(typeof(JoinsPolicyAttribute), false).OfType<JoinsPolicyAttribute>()
                .Where(a => a.Policy == policy).Select(a => (Type: t, a.Version)))
            .OrderBy(j => j.Type.Name, StringComparer.Ordinal)
            .Select(j => ((IGradingRule)Activator.CreateInstance(j.Type)!, j.Version))];
}
