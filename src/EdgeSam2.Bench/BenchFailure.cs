namespace EdgeSam2.Bench;

/// <summary>A run that cannot go on: the message says what was expected; <see cref="LogPath"/> names the agent's log when it is involved.</summary>
internal sealed class BenchFailure(string message, string? logPath = null) : Exception(message)
{
    public string? LogPath { get; } = logPath;
}
