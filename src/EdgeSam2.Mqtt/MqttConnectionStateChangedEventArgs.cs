namespace EdgeSam2.Mqtt;

/// <summary>Raised when the client gains or loses its connection to the broker.</summary>
public sealed class MqttConnectionStateChangedEventArgs(bool isConnected, bool isReconnect, string? reason) : EventArgs
{
    /// <summary>True once connected (subscriptions restored and queued messages handed to the broker).</summary>
    public bool IsConnected { get; } = isConnected;

    /// <summary>True when this connection replaces a lost one: callers re-publish retained state now.</summary>
    public bool IsReconnect { get; } = isReconnect;

    /// <summary>Why the connection was lost, when it was.</summary>
    public string? Reason { get; } = reason;
}
