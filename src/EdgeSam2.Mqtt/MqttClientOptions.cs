namespace EdgeSam2.Mqtt;

/// <summary>How to reach the broker and how the client behaves when the connection drops.</summary>
public sealed class MqttClientOptions
{
    /// <summary>Broker host name or address. Required.</summary>
    public string Host { get; set; } = "";

    /// <summary>Broker TCP port. Default 1883 (use 8883 for TLS brokers).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Client identifier. Default null: a random <c>edgesam2-xxxxxxxx</c> id, kept across reconnects.</summary>
    public string? ClientId { get; set; }

    /// <summary>Keep-alive interval: a PINGREQ is sent every interval (busy or idle) and the connection is cut when its PINGRESP does not come within half an interval. Default 30 s; zero disables.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>User name, or null for anonymous. Default null.</summary>
    public string? Username { get; set; }

    /// <summary>Password, or null. Default null.</summary>
    public string? Password { get; set; }

    /// <summary>Whether to wrap the connection in TLS. Default false.</summary>
    public bool UseTls { get; set; }

    /// <summary>PEM file of the CA that signs the broker's certificate; null trusts the system store. Default null.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Client certificate for mutual TLS: a PEM file (key in it or in <see cref="ClientKeyPath"/>) or a PFX/PKCS#12 file. Default null.</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>PEM private key of the client certificate when it is not inside <see cref="ClientCertificatePath"/>. Default null.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>Password of a PFX client certificate. Default null.</summary>
    public string? ClientCertificatePassword { get; set; }

    /// <summary>Accept any broker certificate (testing only). Default false.</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>Protocol revision. Default <see cref="MqttProtocolVersion.Auto"/>: 5.0, falling back to 3.1.1.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.Auto;

    /// <summary>Last will, published by the broker when the connection dies without a clean DISCONNECT. Default null.</summary>
    public MqttMessage? Will { get; set; }

    /// <summary>Start with a clean session on the first connection. Default true.</summary>
    public bool CleanStart { get; set; } = true;

    /// <summary>MQTT 5 session expiry after disconnect, in seconds; 0 ends the session with the connection. Default 0.</summary>
    public uint SessionExpiryInterval { get; set; }

    /// <summary>Time allowed for TCP connect, TLS handshake and CONNACK. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First delay before reconnecting after a loss; doubles per failed attempt, with jitter. Default 1 s.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the reconnect back-off. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>QoS 1 publications waiting in the outbox (for a connection or an in-flight slot); when full the oldest is dropped and counted. Default 1000.</summary>
    public int MaxQueuedMessages { get; set; } = 1000;

    /// <summary>QoS 1 publications sent and not yet acknowledged, per connection (lowered to the broker's receive maximum). Default 64.</summary>
    public int MaxInFlightMessages { get; set; } = 64;

    /// <summary>Perishable messages waiting to be written; <see cref="IMqttClient.TryPublish"/> fails (counted) when full. Default 256.</summary>
    public int SendBufferCapacity { get; set; } = 256;

    /// <summary>Received messages waiting for the reader of <see cref="IMqttClient.Messages"/>; when full, new ones are dropped and counted. Default 1024.</summary>
    public int ReceiveBufferCapacity { get; set; } = 1024;

    /// <summary>
    /// Largest message accepted from the broker. MQTT 5 brokers are told and never send more; over MQTT 3.1.1 (no way
    /// to tell) a larger message is dropped and counted, and the connection stays up. Default 16 MiB.
    /// </summary>
    public int MaximumIncomingPacketSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Every configuration error at once; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add("Host is required.");
        }

        if (Port is < 1 or > 65535)
        {
            errors.Add($"Port {Port} is outside 1..65535.");
        }

        if (KeepAlive < TimeSpan.Zero || KeepAlive.TotalSeconds > ushort.MaxValue)
        {
            errors.Add($"KeepAlive {KeepAlive} is outside 0..65535 s.");
        }
        else if (KeepAlive > TimeSpan.Zero && KeepAlive < TimeSpan.FromSeconds(1))
        {
            errors.Add($"KeepAlive {KeepAlive} is below the protocol's 1 s resolution.");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add("ConnectTimeout must be positive.");
        }

        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
        {
            errors.Add("ReconnectMinDelay must be positive and not above ReconnectMaxDelay.");
        }

        if (MaxQueuedMessages < 1)
        {
            errors.Add("MaxQueuedMessages must be at least 1 (the outbox carries every QoS 1 publication, connected or not).");
        }

        if (MaxInFlightMessages is < 1 or > ushort.MaxValue)
        {
            errors.Add($"MaxInFlightMessages {MaxInFlightMessages} is outside 1..65535.");
        }

        if (SendBufferCapacity < 1 || ReceiveBufferCapacity < 1)
        {
            errors.Add("SendBufferCapacity and ReceiveBufferCapacity must be at least 1.");
        }

        if (MaximumIncomingPacketSize < 64)
        {
            errors.Add("MaximumIncomingPacketSize must be at least 64 bytes.");
        }

        if (ProtocolVersion != MqttProtocolVersion.V500 && Password is not null && Username is null)
        {
            errors.Add("MQTT 3.1.1 needs a Username when a Password is set.");
        }

        if (Will is not null && !TopicNames.IsValidTopicName(Will.Topic))
        {
            errors.Add($"Will topic '{Will.Topic}' is not a valid topic name.");
        }

        if (ClientCertificatePath is not null && !File.Exists(ClientCertificatePath))
        {
            errors.Add($"ClientCertificatePath '{ClientCertificatePath}' does not exist.");
        }

        if (CaCertificatePath is not null && !File.Exists(CaCertificatePath))
        {
            errors.Add($"CaCertificatePath '{CaCertificatePath}' does not exist.");
        }

        return errors;
    }
}
