using EdgeSam2.Mqtt.Packets;

namespace EdgeSam2.Mqtt.Client;

internal enum ConnectFailure
{
    None,

    /// <summary>The broker answered with a non-zero CONNACK code.</summary>
    Refused,

    /// <summary>The broker closed the connection before any CONNACK.</summary>
    ClosedBeforeConnAck,

    /// <summary>TCP connect, TLS handshake and CONNACK together took longer than the connect time-out.</summary>
    TimedOut,

    /// <summary>The socket or TLS layer failed.</summary>
    Transport,

    /// <summary>The broker answered with something that is not a valid CONNACK.</summary>
    ProtocolError,
}

/// <summary>The result of one connection attempt: an open transport with its CONNACK, or why not.</summary>
internal sealed class ConnectOutcome
{
    public required ConnectFailure Failure { get; init; }

    public required string Description { get; init; }

    public MqttProtocolVersion Version { get; init; }

    public byte? ReasonCode { get; init; }

    public string? ReasonString { get; init; }

    public Exception? Exception { get; init; }

    public Stream? Stream { get; init; }

    public FrameReader? Frames { get; init; }

    public ConnAckPacket? ConnAck { get; init; }

    /// <summary>True when a 3.1.1-only broker turned down MQTT 5: worth one more try with 3.1.1.</summary>
    public bool IsVersionRefusal =>
        Failure == ConnectFailure.ClosedBeforeConnAck
        || (Failure == ConnectFailure.Refused
            && ReasonCode is ConnAckPacket.UnacceptableProtocolVersion311 or ConnAckPacket.UnsupportedProtocolVersion);

    public MqttConnectException ToException(string host, int port) => new(
        $"MQTT connection to {host}:{port} failed: {Description}", ReasonCode, ReasonString, Exception);
}
