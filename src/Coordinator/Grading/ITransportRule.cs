namespace XmppScanCluster.Coordinator.Grading;

/// <summary>
/// A rule about the XMPP transport around TLS (STARTTLS, authentication before TLS). Unlike the TLS rules it is
/// also evaluated on an endpoint where no TLS handshake happened: the missing TLS is its finding.
/// </summary>
public interface ITransportRule : IGradingRule;
