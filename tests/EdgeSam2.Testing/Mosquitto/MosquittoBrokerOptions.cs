namespace EdgeSam2.Testing.Mosquitto;

/// <summary>How a test's private mosquitto is configured; the defaults give an anonymous, non-persistent broker.</summary>
public sealed class MosquittoBrokerOptions
{
    /// <summary>Whether clients without credentials may connect. Default true.</summary>
    public bool AllowAnonymous { get; init; } = true;

    /// <summary>User names and passwords written to a mosquitto_passwd file; null for no password file. Default null.</summary>
    public IReadOnlyDictionary<string, string>? Users { get; init; }

    /// <summary>Keep retained messages and sessions across restarts (in the broker's temporary folder). Default false.</summary>
    public bool Persistence { get; init; }

    /// <summary>Lines added right after the listener line, e.g. TLS <c>cafile</c>/<c>certfile</c>/<c>keyfile</c>. Default none.</summary>
    public IReadOnlyList<string> ListenerConfig { get; init; } = [];

    /// <summary>The text of a mosquitto ACL file (written next to the config and named by <c>acl_file</c>); null for none. Default null.</summary>
    public string? Acl { get; init; }

    /// <summary>Lines added at the end of the configuration. Default none.</summary>
    public IReadOnlyList<string> ExtraConfig { get; init; } = [];

    /// <summary>Log every packet (log_type all) instead of notices and errors only. Default false.</summary>
    public bool VerboseLog { get; init; }

    /// <summary>How long to wait for the broker's "running" log line. Default 10 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
