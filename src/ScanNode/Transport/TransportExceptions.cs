namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// A connect, a read or a write ran past its deadline (<see cref="ScanLimits.ConnectTimeout"/>,
/// <see cref="ScanLimits.ReadTimeout"/>, <see cref="ScanLimits.ConnectionTimeout"/>). Distinct from
/// <see cref="OperationCanceledException"/>, which only ever means the caller cancelled.
/// </summary>
public sealed class DeadlineExceededException(string message) : TimeoutException(message);

/// <summary>The peer sent more bytes than the budget allows (<see cref="ScanLimits.MaxBytesPerConnection"/>,
/// <see cref="ScanLimits.MaxXmppPreambleBytes"/>).</summary>
public sealed class ByteBudgetExceededException(string message) : IOException(message);
