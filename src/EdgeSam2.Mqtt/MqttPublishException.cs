namespace EdgeSam2.Mqtt;

/// <summary>The broker refused a QoS 1 publication (PUBACK reason code 0x80 or above).</summary>
public sealed class MqttPublishException : Exception
{
    public MqttPublishException(string message, byte reasonCode, string? reasonString)
        : base(message)
    {
        ReasonCode = reasonCode;
        ReasonString = reasonString;
    }

    public MqttPublishException()
    {
    }

    public MqttPublishException(string message)
        : base(message)
    {
    }

    public MqttPublishException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The PUBACK reason code.</summary>
    public byte ReasonCode { get; }

    /// <summary>The broker's reason string, when it sent one.</summary>
    public string? ReasonString { get; }
}
