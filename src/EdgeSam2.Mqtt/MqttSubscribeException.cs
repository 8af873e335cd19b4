namespace EdgeSam2.Mqtt;

/// <summary>The broker refused a subscription (SUBACK reason code 0x80 or above).</summary>
public sealed class MqttSubscribeException : Exception
{
    public MqttSubscribeException(string message, string topicFilter, byte reasonCode)
        : base(message)
    {
        TopicFilter = topicFilter;
        ReasonCode = reasonCode;
    }

    public MqttSubscribeException()
    {
    }

    public MqttSubscribeException(string message)
        : base(message)
    {
    }

    public MqttSubscribeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The refused topic filter.</summary>
    public string TopicFilter { get; } = "";

    /// <summary>The SUBACK reason code.</summary>
    public byte ReasonCode { get; }
}
