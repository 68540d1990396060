using System.Net.Security;
using System.Security.Authentication;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>An established session of the engine: the application-data stream and what was negotiated.</summary>
internal sealed record EngineTlsSession(EngineTlsStream Stream, SslProtocols Protocol, TlsCipherSuite CipherSuite, string? Alpn);

/// <summary>
/// The session's TLS client on this project's own wire code instead of OpenSSL (issue 14: one OpenSSL connection held
/// ~55 KiB per target in flight and half of a depth-session census's CPU). It sends <see cref="SessionHello"/> and
/// finishes TLS 1.3 (RFC 8446: x25519, or the NIST curve a HelloRetryRequest asks for; AES-GCM and ChaCha20-Poly1305;
/// CertificateVerify and Finished checked) or TLS 1.2 (the ECDHE suites of the hello, through
/// <see cref="Tls12FullHandshake"/>, with extended_master_secret and the ServerKeyExchange signature checked). What
/// it cannot do although the server did nothing wrong (TLS 1.0/1.1, x448 or FFDHE chosen) ends in an
/// <see cref="EngineHandshakeException"/> with <see cref="EngineHandshakeException.CannotFinish"/>, and the caller runs
/// the session on SslStream instead.
/// </summary>
internal static partial class EngineTlsClient
{
    /// <summary>Records read for one handshake at most (a chain in 16 KiB records, CCS, tickets come after).</summary>
    private const int MaxHandshakeRecords = 32;

    /// <summary>Warning alerts tolerated while waiting for one handshake message (a storm is garbage).</summary>
    internal const int MaxWarningAlerts = 8;

    /// <summary>Certificates accepted in one Certificate message (more is not a chain, it is a flood).</summary>
    private const int MaxCertificates = 32;

    /// <param name="connection">At the TLS handshake (after &lt;proceed/&gt;, or connected for direct TLS); owned by the
    /// returned stream.</param>
    /// <param name="serverName">SNI: the XMPP service domain.</param>
    /// <param name="alpn">xmpp-client or xmpp-server on direct TLS; null on STARTTLS.</param>
    /// <param name="limits">Bounds of handshake messages and records.</param>
    /// <param name="ct">The scan's cancellation.</param>
    /// <param name="presented">Receives the chain as sent, leaf first, as soon as it is read (also when the handshake
    /// fails later).</param>
    /// <exception cref="EngineHandshakeException">The handshake failed; classified.</exception>
    public static async Task<EngineTlsSession> HandshakeAsync(Stream connection, string serverName, string? alpn, ScanLimits limits,
        List<byte[]> presented, CancellationToken ct)
    {
        var channel = new RecordChannel(connection, limits, ct);
        var messages = new HandshakeMessageBuffer(limits.MaxHandshakeMessageBytes);
        var share = KeyShareSecret.Create(NamedGroups.X25519);
        try
        {
            var hello = ClientHelloBuilder.BuildHandshake(SessionHello.Profile(serverName, share, alpn));
            channel.ClientRandom = hello[6..38];
            await channel.WriteAsync(TlsRecordWriter.Wrap(TlsContentType.Handshake, 0x0301, hello)).ConfigureAwait(false);
            var (shMessage, sh) = await ReadServerHelloAsync(channel, messages).ConfigureAwait(false);
            Tls13KeySchedule? schedule = null;
            var retried = sh.IsHelloRetryRequest;
            if (retried)
            {
                (schedule, share, hello, shMessage, sh) = await RetryAsync(channel, messages, sh, shMessage, hello, share, serverName, alpn)
                    .ConfigureAwait(false);
            }

            if (sh.SelectedVersion == (ushort)TlsVersion.Tls13)
            {
                schedule ??= new Tls13KeySchedule(Tls13RecordCipher.HashOf(sh.CipherSuite)
                    ?? throw EngineHandshakeException.Protocol($"the server chose suite 0x{sh.CipherSuite:X4}, which was not offered"));
                using (schedule)
                {
                    if (!sh.SessionId.AsSpan().SequenceEqual(hello.AsSpan(39, 32)))
                    {
                        throw EngineHandshakeException.Protocol("legacy_session_id_echo is not our session id (RFC 8446 §4.1.3)");
                    }

                    if (!retried)
                    {
                        schedule.AddToTranscript(hello); // after a retry the transcript already holds it (RetryAsync)
                    }

                    return await Tls13Async(channel, messages, schedule, share, sh, shMessage, presented, ct).ConfigureAwait(false);
                }
            }

            if (sh.SelectedVersion is null && sh.LegacyVersion == (ushort)TlsVersion.Tls12 && !retried)
            {
                if (sh.Downgrade != DowngradeSentinel.None)
                {
                    // RFC 8446 §4.1.3: a TLS 1.3 server answering TLS 1.2 to a client that offered 1.3 is a downgrade.
                    throw EngineHandshakeException.Protocol("TLS 1.2 with the TLS 1.3 server's downgrade sentinel in ServerHello.random");
                }

                channel.AddToTranscript(hello);
                return await Tls12Async(channel, messages, sh, shMessage, presented).ConfigureAwait(false);
            }

            schedule?.Dispose();
            throw EngineHandshakeException.Unsupported($"the server chose version 0x{sh.NegotiatedVersion:X4}");
        }
        finally
        {
            share.Dispose();
        }
    }

    /// <summary>A HelloRetryRequest (RFC 8446 §4.1.4): the second ClientHello with the one share the server asked for
    /// (and its cookie), the same random and session id; the transcript restarts with message_hash (§4.4.1).</summary>
    private static async Task<(Tls13KeySchedule, KeyShareSecret, byte[], TlsMessage, ServerHello)> RetryAsync(RecordChannel channel,
        HandshakeMessageBuffer messages, ServerHello hrr, TlsMessage hrrMessage, byte[] firstHello, KeyShareSecret firstShare,
        string serverName, string? alpn)
    {
        if (hrr.SelectedVersion != (ushort)TlsVersion.Tls13 || Tls13RecordCipher.HashOf(hrr.CipherSuite) is not { } hash)
        {
            throw EngineHandshakeException.Protocol("a HelloRetryRequest without TLS 1.3 or with a suite that was not offered");
        }

        if (hrr.KeyShareGroup is not { } group || group == firstShare.Group)
        {
            throw EngineHandshakeException.Protocol("a HelloRetryRequest that asks for no new key share");
        }

        if (!KeyShareSecret.Supports(group))
        {
            throw EngineHandshakeException.Unsupported($"the server asked for a key share in group 0x{group:X4}");
        }

        firstShare.Dispose();
        var share = KeyShareSecret.Create(group);
        var profile = SessionHello.Profile(serverName, share, alpn, hrr.Cookie) with { FixedRandom = [.. firstHello.AsSpan(6, 32)] };
        var hello = ClientHelloBuilder.BuildHandshake(profile);
        firstHello.AsSpan(38, 33).CopyTo(hello.AsSpan(38)); // legacy_session_id: its length byte and the same 32 bytes
        var schedule = new Tls13KeySchedule(hash);
        schedule.StartWithMessageHash(firstHello);
        schedule.AddToTranscript(hrrMessage.Raw);
        schedule.AddToTranscript(hello);
        // The compatibility-mode CCS goes in front of the second flight (RFC 8446 §D.4), as OpenSSL sends it.
        await channel.WriteAsync([.. ChangeCipherSpecRecord, .. TlsRecordWriter.Wrap(TlsContentType.Handshake, 0x0303, hello)])
            .ConfigureAwait(false);
        var (message, sh) = await ReadServerHelloAsync(channel, messages, afterRetry: true).ConfigureAwait(false);
        if (sh.IsHelloRetryRequest || sh.CipherSuite != hrr.CipherSuite || sh.KeyShareGroup != group)
        {
            throw EngineHandshakeException.Protocol("the ServerHello after a HelloRetryRequest does not match it");
        }

        return (schedule, share, hello, message, sh);
    }

    private static readonly byte[] ChangeCipherSpecRecord = [(byte)TlsContentType.ChangeCipherSpec, 3, 3, 0, 1, 1];

    private static async Task<(TlsMessage, ServerHello)> ReadServerHelloAsync(RecordChannel channel, HandshakeMessageBuffer messages,
        bool afterRetry = false)
    {
        var message = await NextPlainMessageAsync(channel, messages, afterRetry ? 1 : 0).ConfigureAwait(false);
        if (message.HandshakeType != TlsHandshakeType.ServerHello)
        {
            throw EngineHandshakeException.Protocol($"{message.HandshakeType} instead of a ServerHello");
        }

        var parsed = ServerHelloParser.Parse(message.Body);
        return parsed is { IsComplete: true, Value: { } sh }
            ? (message, sh)
            : throw EngineHandshakeException.Protocol("malformed ServerHello: " + parsed.Error);
    }

    /// <summary>The next handshake message in clear; an alert ends the handshake with the alert.</summary>
    private static async Task<TlsMessage> NextPlainMessageAsync(RecordChannel channel, HandshakeMessageBuffer messages, int compatibilityCcs = 0)
    {
        var warnings = 0;
        for (var i = 0; i < MaxHandshakeRecords; i++)
        {
            if (messages.Next() is { } ready)
            {
                return ready;
            }

            var (header, _, fragment) = await channel.ReadRecordAsync().ConfigureAwait(false);
            switch (header.ContentType)
            {
                case TlsContentType.Handshake:
                    messages.Append(fragment);
                    break;
                case TlsContentType.Alert when fragment is [1, not 0] && warnings++ < MaxWarningAlerts:
                    break; // a warning (e.g. unrecognized_name before the ServerHello) does not end the handshake (RFC 5246 §7.2.2)
                case TlsContentType.Alert:
                    throw AlertDuringHandshake(fragment);
                case TlsContentType.ChangeCipherSpec when fragment is [1] && compatibilityCcs-- > 0:
                    break; // a TLS 1.3 server's middlebox-compatibility CCS after its HelloRetryRequest (RFC 8446 §D.4)
                default:
                    throw EngineHandshakeException.Protocol($"a {header.ContentType} record in the clear part of the handshake");
            }
        }

        throw EngineHandshakeException.Protocol($"no complete handshake message within {MaxHandshakeRecords} records");
    }

    internal static EngineHandshakeException AlertDuringHandshake(ReadOnlySpan<byte> payload) =>
        HandshakeMessageParser.ParseAlert(payload) is { IsComplete: true, Value: { } alert }
            ? new(new ProbeFailure(FailureKind.TlsAlert, "TLS alert during the handshake: "
                + Transport.OpenSslAlerts.Describe((int)alert.Description)))
            : EngineHandshakeException.Protocol("a malformed alert during the handshake");
}
