namespace EdgeSam2.Mqtt;

/// <summary>Quality of service of a message or subscription. QoS 2 is deliberately not supported.</summary>
public enum MqttQos
{
    /// <summary>Fire and forget.</summary>
    AtMostOnce = 0,

    /// <summary>Acknowledged by the receiver (PUBACK); may arrive twice.</summary>
    AtLeastOnce = 1,
}

/// <summary>An MQTT 5 user property (name/value pair); MQTT 3.1.1 has none and drops them.</summary>
public readonly record struct MqttUserProperty(string Name, string Value);

/// <summary>An application message, sent or received.</summary>
/// <param name="Topic">Topic name (no wildcards when publishing).</param>
/// <param name="Payload">Message body; the client does not copy it, so do not mutate it until the publish completed.</param>
/// <param name="Qos">Quality of service.</param>
/// <param name="Retain">Whether the broker keeps the message for future subscribers.</param>
public sealed record MqttMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos = MqttQos.AtMostOnce, bool Retain = false)
{
    /// <summary>MQTT 5 response topic for request/response; ignored on 3.1.1.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>MQTT 5 correlation data echoed by a responder; ignored on 3.1.1.</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary>MQTT 5 content type (e.g. application/json); ignored on 3.1.1.</summary>
    public string? ContentType { get; init; }

    /// <summary>MQTT 5 user properties; ignored on 3.1.1.</summary>
    public IReadOnlyList<MqttUserProperty>? UserProperties { get; init; }

    /// <summary>MQTT 5 message expiry interval in seconds; ignored on 3.1.1.</summary>
    public uint? MessageExpiryInterval { get; init; }

    /// <summary>MQTT 5 payload format indicator: true when the payload is UTF-8 text.</summary>
    public bool PayloadIsUtf8 { get; init; }
}
