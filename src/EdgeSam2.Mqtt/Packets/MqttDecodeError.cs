namespace EdgeSam2.Mqtt.Packets;

/// <summary>Why bytes from the wire are not a valid packet. Malformed input is an expected failure, not an exception.</summary>
internal enum MqttDecodeError
{
    None = 0,

    /// <summary>The packet ends before a field it announces.</summary>
    Truncated,

    /// <summary>A variable byte integer longer than four bytes.</summary>
    MalformedVariableByteInteger,

    /// <summary>A string that is not well-formed UTF-8 or contains U+0000.</summary>
    InvalidString,

    /// <summary>A property identifier MQTT 5 does not define.</summary>
    UnknownProperty,

    /// <summary>Reserved flag bits or QoS values that the packet type forbids.</summary>
    InvalidFlags,

    /// <summary>Well-formed bytes that break a protocol rule (e.g. packet identifier 0, bytes after the end).</summary>
    ProtocolError,

    /// <summary>A packet larger than the client accepts.</summary>
    PacketTooLarge,
}
