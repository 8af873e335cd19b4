namespace EdgeSam2.Mqtt;

/// <summary>The first connection failed: the broker refused it (see <see cref="ReasonCode"/>), it timed out or the transport failed.</summary>
public sealed class MqttConnectException : Exception
{
    public MqttConnectException(string message, byte? reasonCode = null, string? reasonString = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ReasonCode = reasonCode;
        ReasonString = reasonString;
    }

    public MqttConnectException()
    {
    }

    public MqttConnectException(string message)
        : base(message)
    {
    }

    public MqttConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The CONNACK reason code as MQTT 5 numbers it (a 3.1.1 return code is reported as its MQTT 5 equivalent); null when the broker never answered.</summary>
    public byte? ReasonCode { get; }

    /// <summary>The broker's MQTT 5 reason string, when it sent one.</summary>
    public string? ReasonString { get; }
}
