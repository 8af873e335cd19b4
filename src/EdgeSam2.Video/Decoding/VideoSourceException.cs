namespace EdgeSam2.Video;

/// <summary>A Deterministic source's decoder failed (or could not start at all): the message names the URL and carries ffmpeg's last words.</summary>
public sealed class VideoSourceException : Exception
{
    public VideoSourceException()
    {
        Url = "";
        DecoderOutput = "";
    }

    public VideoSourceException(string message)
        : base(message)
    {
        Url = "";
        DecoderOutput = "";
    }

    public VideoSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Url = "";
        DecoderOutput = "";
    }

    public VideoSourceException(string url, string message, int? exitCode, string decoderOutput, Exception? innerException = null)
        : base($"Video source '{url}': {message}" + (decoderOutput.Length > 0 ? $" ffmpeg said: {decoderOutput}" : ""), innerException)
    {
        Url = url;
        ExitCode = exitCode;
        DecoderOutput = decoderOutput;
    }

    /// <summary>The source, with any password hidden.</summary>
    public string Url { get; }

    /// <summary>ffmpeg's exit code; null when it did not exit on its own (stall, failed start).</summary>
    public int? ExitCode { get; }

    /// <summary>The tail of ffmpeg's stderr.</summary>
    public string DecoderOutput { get; }
}
