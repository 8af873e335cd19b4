namespace EdgeSam2.Mqtt.Client;

internal enum ConnectFailure
{
    None,

    /// <summary>The broker answered with a non-zero CONNACK code (bad credentials, not authorised, ...).</summary>
    Refused,

    /// <summary>The broker closed the connection before any CONNACK.</summary>
    ClosedBeforeConnAck,

    /// <summary>TCP connect, TLS handshake and CONNACK together took longer than the connect time-out.</summary>
    TimedOut,

    /// <summary>The TLS handshake failed (untrusted or mismatched certificate, not a TLS port, ...).</summary>
    Tls,

    /// <summary>The socket failed (refused, unreachable, reset).</summary>
    Transport,
}

/// <summary>The result of one connection attempt: an open connection, or why not (one clear sentence).</summary>
internal sealed class ConnectOutcome
{
    public required ConnectFailure Failure { get; init; }

    public required string Description { get; init; }

    public byte? ReasonCode { get; init; }

    public string? ReasonString { get; init; }

    public Exception? Exception { get; init; }

    public MqttConnection? Connection { get; init; }

    /// <summary>True when a 3.1.1-only broker turned down MQTT 5: worth one more try with 3.1.1.</summary>
    public bool IsVersionRefusal =>
        Failure == ConnectFailure.ClosedBeforeConnAck
        || (Failure == ConnectFailure.Refused && ReasonCode is 0x01 or 0x84);

    public MqttConnectException ToException(string host, int port) => new(
        $"MQTT connection to {host}:{port} failed: {Description}", ReasonCode, ReasonString, Exception);
}
