using EdgeSam2.Mqtt;

namespace EdgeSam2.Agent.Options;

/// <summary>How the agent reaches its MQTT broker.</summary>
public sealed class MqttOptions
{
    /// <summary>Broker host name or address. Default <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker TCP port. Default 1883.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Client identifier; empty means <c>edgesam2-{AgentId}</c>. Default empty.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>User name; empty for anonymous. Default empty.</summary>
    public string Username { get; set; } = "";

    /// <summary>Password; empty for none. Default empty.</summary>
    public string Password { get; set; } = "";

    /// <summary>Wrap the connection in TLS. Default false.</summary>
    public bool UseTls { get; set; }

    /// <summary>PEM file of the CA that signs the broker's certificate; empty trusts the system store. Default empty.</summary>
    public string CaCertificate { get; set; } = "";

    /// <summary>Client certificate for mutual TLS (PEM with its key, or PFX); empty for none. Default empty.</summary>
    public string ClientCertificate { get; set; } = "";

    /// <summary>Keep-alive interval in seconds; 0 disables. Default 30.</summary>
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>Protocol: <c>Auto</c> (5.0, falling back to 3.1.1), <c>V500</c> or <c>V311</c>. Default Auto.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.Auto;

    /// <summary>QoS of the per-frame tracks messages (0 or 1). Default 0: frames are perishable.</summary>
    public int TracksQos { get; set; }

    /// <summary>First delay before reconnecting, in milliseconds; doubles per failed attempt, with ±50 % jitter. Default 1000.</summary>
    public int ReconnectMinDelayMs { get; set; } = 1000;

    /// <summary>Cap of the reconnect back-off, in milliseconds. Default 30000.</summary>
    public int ReconnectMaxDelayMs { get; set; } = 30000;

    /// <summary>Events, replies and retained state kept for the broker (while disconnected, or ahead of PUBACKs); when full the oldest is dropped and counted. Default 1000.</summary>
    public int MaxQueuedMessages { get; set; } = 4096;

    /// <summary>
    /// Largest incoming message in bytes. MQTT 5 brokers are told and never send more; over 3.1.1 a larger message is
    /// dropped and the connection stays up (set mosquitto's <c>message_size_limit</c> too, so it is never sent). Default 1048576.
    /// </summary>
    public int MaxIncomingMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Incoming messages (commands) held between the connection and the command plane. A burst beyond it is dropped
    /// and counted by the client (logged once per episode) before the command plane sees it. Default 4096.
    /// </summary>
    public int ReceiveBufferCapacity { get; set; } = 4096;
}
