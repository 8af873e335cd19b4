namespace EdgeSam2.Agent;

/// <summary>The agent's exit codes (README, "Exit codes"); systemd's unit does not restart on the permanent ones.</summary>
public static class ExitCodes
{
    /// <summary>Clean stop (SIGTERM/SIGINT), or a file camera that finished.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected failure at start or while running: worth a restart.</summary>
    public const int Failed = 1;

    /// <summary>The configuration is missing or invalid: permanent until the file is fixed.</summary>
    public const int ConfigInvalid = 2;

    /// <summary>The model set or the ONNX Runtime library cannot be used: permanent until the files are fixed.</summary>
    public const int ModelUnusable = 3;
}
