namespace EdgeSam2.Mqtt;

/// <summary>A topic filter (wildcards allowed) and the highest QoS the client accepts on it.</summary>
public sealed record MqttSubscription(string TopicFilter, MqttQos MaximumQos = MqttQos.AtLeastOnce)
{
    /// <summary>MQTT 5 "no local": do not deliver this client's own publications back to it.</summary>
    public bool NoLocal { get; init; }
}
