namespace EdgeSam2.Mqtt;

/// <summary>The MQTT protocol revision the client speaks.</summary>
public enum MqttProtocolVersion
{
    /// <summary>Try MQTT 5.0 first; fall back to 3.1.1 when the broker refuses 5.0 or closes the connection.</summary>
    Auto = 0,

    /// <summary>MQTT 3.1.1 (protocol level 4).</summary>
    V311 = 4,

    /// <summary>MQTT 5.0 (protocol level 5).</summary>
    V500 = 5,
}
