namespace EdgeSam2.Video;

/// <summary>ffprobe could not read a source: a wrong path or URL, an unreachable camera, or no video stream.</summary>
public sealed class VideoProbeException : Exception
{
    public VideoProbeException()
        : this("", "")
    {
    }

    public VideoProbeException(string message)
        : base(message)
    {
        Url = "";
        ProbeMessage = message;
    }

    public VideoProbeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Url = "";
        ProbeMessage = message;
    }

    // The message is what reaches logs and status: the URL's password hidden, ffprobe's text on one bounded line.
    public VideoProbeException(string url, string probeMessage)
        : base($"ffprobe could not read '{VideoUrlRedaction.Redact(url)}': {DecoderReason.Sanitise(probeMessage)}")
    {
        Url = url;
        ProbeMessage = probeMessage;
    }

    /// <summary>The source that was probed.</summary>
    public string Url { get; }

    /// <summary>ffprobe's own explanation (its stderr), or ours when ffprobe could not run.</summary>
    public string ProbeMessage { get; }
}
