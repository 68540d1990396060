using System.Text.Json;
using System.Text.Json.Serialization;

namespace XmppScanCluster.Shared.Json;

/// <summary>
/// An enum written as its snake_case name (<c>TlsVersion.Tls12</c> → <c>"tls12"</c>); integers are refused on read.
/// Generic, so a source-generated context can name it per enum (<c>Converters = [typeof(SnakeCaseEnum&lt;X&gt;)]</c>):
/// the non-generic <see cref="JsonStringEnumConverter"/> builds its converter with MakeGenericType at run time, which
/// ReadyToRun cannot precompile and Native AOT cannot compile at all (issue 14).
/// </summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class SnakeCaseEnum<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
