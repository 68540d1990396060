using System.Xml;
using System.Xml.Linq;

namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>SASL (RFC 6120 §6): PLAIN, and SCRAM with and without channel binding (RFC 5802, RFC 7677), as the scenario offers.</summary>
internal sealed partial class ClientSession
{
    private async Task<Next> SaslAsync(XElement auth, XmlReader xml, CancellationToken ct)
    {
        var mechanism = Bound((string?)auth.Attribute("mechanism") ?? "");
        Record(WireEventKind.AuthStarted, mechanism: mechanism);
        var payload = Decode(auth.Value);
        if (mechanism == "PLAIN" && Offered.Contains("PLAIN"))
        {
            // RFC 4616: authzid NUL authcid NUL passwd — the password itself.
            Record(WireEventKind.CredentialsSent, payload.Split('\0').Length == 3 ? "PLAIN password" : "PLAIN payload", mechanism);
        }
        else if (Offered.Contains(mechanism) && ScramServer.Mechanisms.Contains(mechanism))
        {
            return await ScramAsync(new ScramServer(mechanism, Password), payload, xml, ct).ConfigureAwait(false);
        }
        else
        {
            return await SaslFailureAsync("invalid-mechanism", ct).ConfigureAwait(false);
        }

        await SendAsync("<success xmlns='" + SaslNs + "'/>", ct).ConfigureAwait(false);
        return Authenticated(mechanism);
    }

    private async Task<Next> ScramAsync(ScramServer scram, string clientFirst, XmlReader xml, CancellationToken ct)
    {
        var first = scram.ServerFirst(clientFirst);
        if (first is null)
        {
            return await SaslFailureAsync("malformed-request", ct).ConfigureAwait(false);
        }

        Record(WireEventKind.ChannelBindingFlag, Bound(scram.CbindFlag), scram.Mechanism);
        if (scram.CbindFlag == "y" && Offered.Any(m => m.EndsWith("-PLUS", StringComparison.Ordinal)))
        {
            // RFC 5802 §6: "y" = the client can bind but believes the server cannot; a server that did offer -PLUS must
            // take it as a sign of a downgrade and fail the exchange, as Prosody does (malformed-request).
            return await SaslFailureAsync("malformed-request", ct).ConfigureAwait(false);
        }

        await SendAsync("<challenge xmlns='" + SaslNs + "'>" + Encode(first) + "</challenge>", ct).ConfigureAwait(false);
        var response = await ReadElementAsync(xml, ct).ConfigureAwait(false);
        if (response is null || response.Name != XName.Get("response", SaslNs))
        {
            Record(WireEventKind.ClientClosed, response is null ? "closed during SCRAM" : "abandoned SCRAM");
            return Next.End;
        }

        var final = Decode(response.Value);
        if (!ScramServer.HasProof(final))
        {
            return await SaslFailureAsync("malformed-request", ct).ConfigureAwait(false);
        }

        // The client proof is a password equivalent for an offline dictionary attack (RFC 5802 §9).
        Record(WireEventKind.CredentialsSent, "SCRAM client proof", scram.Mechanism);
        if (scram.CbindFlag.StartsWith("p=", StringComparison.Ordinal))
        {
            var type = scram.CbindFlag[2..];
            var data = scram.ChannelBindingData(final);
            var check = data is null ? "c= does not carry the gs2-header" : _bindings.Check(type, data);
            Record(WireEventKind.ChannelBindingChecked, Bound(type) + " over " + _bindings.Protocol + ": " + check, scram.Mechanism);
            if (check != TlsChannelBindings.Matches && !check.StartsWith(TlsChannelBindings.NotVerified, StringComparison.Ordinal))
            {
                // RFC 5802 §6: binding data that differs from the server's own fails the exchange (what a MITM looks like).
                return await SaslFailureAsync("not-authorized", ct).ConfigureAwait(false);
            }
        }

        await SendAsync("<success xmlns='" + SaslNs + "'>" + Encode(scram.ServerFinal(final)) + "</success>", ct).ConfigureAwait(false);
        return Authenticated(scram.Mechanism);
    }

    private Next Authenticated(string mechanism)
    {
        _authenticated = true;
        Record(WireEventKind.Authenticated, mechanism: mechanism);
        return Next.Restart;
    }

    private async Task<Next> SaslFailureAsync(string condition, CancellationToken ct)
    {
        await SendAsync("<failure xmlns='" + SaslNs + "'><" + condition + "/></failure>", ct).ConfigureAwait(false);
        return Next.Continue;
    }
}
