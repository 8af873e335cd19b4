using System.ComponentModel.DataAnnotations;

namespace EdgeSam2.Video;

/// <summary>One camera or file: where frames come from, the size they are delivered at, and how the decoder is supervised.</summary>
public sealed class VideoSourceOptions
{
    /// <summary>Name used in logs to tell cameras apart. Default <c>"video"</c>.</summary>
    [Required]
    public string Name { get; set; } = "video";

    /// <summary>
    /// A file path, a network URL (<c>rtsp://</c>, <c>rtsps://</c>, <c>http://</c> …) or a V4L2 device (<c>/dev/videoN</c>).
    /// Required.
    /// </summary>
    [Required]
    public string Url { get; set; } = "";

    /// <summary>Width of delivered frames (the model's input width); the decoder squash-scales to it. Required.</summary>
    [Range(1, 16384)]
    public int OutputWidth { get; set; }

    /// <summary>Height of delivered frames (the model's input height); the decoder squash-scales to it. Required.</summary>
    [Range(1, 16384)]
    public int OutputHeight { get; set; }

    /// <summary>Completeness (files) or real time (cameras). Default <see cref="SourceMode.Live"/>.</summary>
    public SourceMode Mode { get; set; } = SourceMode.Live;

    /// <summary>
    /// No frame for this long while waiting on the decoder: kill it and restart (Live, state <c>Stalled</c>) or fail
    /// (Deterministic). Also bounds the time to the first frame after a (re)start. Default 10 s.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Delay before the first restart after a failure; doubles per consecutive failure. Default 1 s.</summary>
    public TimeSpan RestartMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap on the restart delay. Default 30 s. The back-off starts again from the minimum as soon as a frame arrives.</summary>
    public TimeSpan RestartMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Each restart delay is drawn from ± this fraction around the nominal one (0..1). Default 0.2.</summary>
    [Range(0.0, 1.0)]
    public double RestartJitter { get; set; } = 0.2;

    /// <summary>
    /// Misbehaviour: more than this many decoding-error lines from the decoder within 10 s (a corrupt stream it keeps
    /// limping through) restarts it; 0 turns the check off. Default 50.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxDecodeErrors { get; set; } = 50;

    /// <summary>
    /// Network sources: the socket time-out ffmpeg applies to connecting and to every read (RTSP <c>-timeout</c>, other
    /// URLs <c>-rw_timeout</c>), so a dead server ends the decoder instead of hanging it. Default 5 s.
    /// </summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Frames held between the decoder and the consumer. Default 2 (frames are perishable).</summary>
    [Range(1, 64)]
    public int ChannelCapacity { get; set; } = 2;

    /// <summary>
    /// Frame buffers owned by the source; must exceed <see cref="ChannelCapacity"/>. When all are out (channel plus
    /// frames the consumer still holds) a Live frame is dropped and counted; a Deterministic source waits. Default 6.
    /// </summary>
    [Range(2, 256)]
    public int PoolSize { get; set; } = 6;

    /// <summary>The ffmpeg executable. Default <c>"ffmpeg"</c> (found on PATH).</summary>
    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>The gst-launch executable for <see cref="VideoDecoder.GStreamer"/>. Default <c>"gst-launch-1.0"</c>.</summary>
    [Required]
    public string GstLaunchPath { get; set; } = "gst-launch-1.0";

    /// <summary>Which program decodes. Default <see cref="VideoDecoder.Ffmpeg"/>; <see cref="VideoDecoder.Auto"/> (the agent's default) is resolved when the source is made.</summary>
    public VideoDecoder Decoder { get; set; } = VideoDecoder.Ffmpeg;

    /// <summary>Hardware decoding preset. Default <see cref="HardwareDecoding.None"/> (software).</summary>
    public HardwareDecoding Hardware { get; set; } = HardwareDecoding.None;

    /// <summary>
    /// GStreamer only: the decoding part of the pipeline, up to raw video (<c>{url}</c> is replaced by the URL); the
    /// source appends the conversion to RGB at the output size and the write to stdout. Empty: built from the URL
    /// (<c>uridecodebin</c>, or the Jetson preset). Default empty.
    /// </summary>
    public string GStreamerPipeline { get; set; } = "";

    /// <summary>Live files only: play the file again each time it ends, with a <c>looped</c> notification. Default false.</summary>
    public bool Loop { get; set; }

    /// <summary>ffmpeg only: force the input format (<c>-f</c>), e.g. <c>mpjpeg</c> for an HTTP MJPEG stream. Default empty (probed).</summary>
    public string InputFormat { get; set; } = "";

    /// <summary>V4L2 only: the camera's pixel format (<c>-input_format</c>, e.g. <c>mjpeg</c>, <c>yuyv422</c>). Default empty (the driver's).</summary>
    public string V4l2PixelFormat { get; set; } = "";

    /// <summary>V4L2 only: the capture size (<c>-video_size</c>, e.g. <c>1280x720</c>). Default empty (the driver's).</summary>
    public string V4l2Size { get; set; } = "";

    /// <summary>V4L2 only: the capture rate in frames per second (<c>-framerate</c>). Default 0 (the driver's).</summary>
    [Range(0, 1000)]
    public int V4l2FrameRate { get; set; }

    /// <summary>
    /// ffmpeg only: decoding threads (<c>-threads</c> before <c>-i</c>). Default 0: ffmpeg's choice (about one per core,
    /// plus one); how they share the work is <see cref="DecoderThreading"/>. On a small box shared with ONNX Runtime,
    /// 1 keeps the decoder to one core.
    /// </summary>
    [Range(0, 64)]
    public int DecoderThreads { get; set; }

    /// <summary>
    /// ffmpeg only: <c>-thread_type</c> before <c>-i</c>. Default <see cref="DecoderThreading.Auto"/>: slice threading
    /// for a Live source, so no frame is held back for later ones; a Deterministic file keeps ffmpeg's frame and slice
    /// threading. <see cref="DecoderThreading.Frame"/> brings frame threading to a Live stream too heavy for one core, at
    /// a delay of (threads − 1) frames. <see cref="InputArguments"/> come later, so a <c>-thread_type</c> there wins.
    /// </summary>
    public DecoderThreading DecoderThreading { get; set; }

    /// <summary>
    /// Extra ffmpeg arguments placed before <c>-i</c> (e.g. <c>-hwaccel_device 1</c>). Default none.
    /// </summary>
    public IList<string> InputArguments { get; set; } = [];

    /// <summary>
    /// Deterministic files: the wall-clock time frame 0 was captured at. A camera that is paused and resumed passes
    /// the same anchor again, so its capture times continue where they were. Default null: when the source starts.
    /// </summary>
    public DateTimeOffset? CaptureAnchor { get; set; }

    // A host, a port in range, and nothing a URL may not hold as it is: what both decoders' RTSP clients can connect to.
    private static bool IsRtspUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Host.Length > 0
        && url.AsSpan().IndexOfAny(" \t\"\\") < 0;

    /// <summary>Every configuration error at once; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var context = new ValidationContext(this);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, context, results, validateAllProperties: true);
        foreach (var result in results)
        {
            errors.Add(result.ErrorMessage ?? "invalid value");
        }

        if (VideoUrl.Classify(Url) == VideoUrlKind.Rtsp && !IsRtspUrl(Url))
        {
            errors.Add($"Url '{VideoUrlRedaction.Redact(Url)}' is not a valid RTSP URL (rtsp://[user:password@]host[:port]/path, port 1–65535): a user name or password holding '@', '/', ':', '\"', '\\' or a space must be percent-encoded (%40, %2F, %3A, %22, %5C, %20).");
        }

        if (Mode == SourceMode.Deterministic && VideoUrl.Classify(Url) != VideoUrlKind.File)
        {
            errors.Add($"Deterministic mode reads files only, not '{Url}'.");
        }

        if (Mode == SourceMode.Deterministic && Loop)
        {
            errors.Add("Loop applies to Live files only: a Deterministic source must end.");
        }

        if (StallTimeout <= TimeSpan.Zero)
        {
            errors.Add("StallTimeout must be positive.");
        }

        if (RestartMinDelay < TimeSpan.Zero || RestartMaxDelay < RestartMinDelay)
        {
            errors.Add("RestartMinDelay must be ≥ 0 and ≤ RestartMaxDelay.");
        }

        if (NetworkTimeout <= TimeSpan.Zero)
        {
            errors.Add("NetworkTimeout must be positive.");
        }

        // Auto is checked as what its settings make it: an rtsp:// URL alone conflicts with neither decoder.
        var decoder = DecoderChoice.Resolve(this, static () => false).Decoder;
        if (!Enum.IsDefined(Decoder))
        {
            errors.Add($"Decoder {(int)Decoder} is not one of Ffmpeg, GStreamer, Auto.");
        }

        if (Hardware == HardwareDecoding.Jetson && decoder != VideoDecoder.GStreamer)
        {
            errors.Add("Hardware Jetson decodes through GStreamer (nvv4l2decoder + nvvidconv): set Decoder to GStreamer.");
        }

        if (Hardware == HardwareDecoding.Nvdec && decoder != VideoDecoder.Ffmpeg)
        {
            errors.Add("Hardware Nvdec is ffmpeg's -hwaccel cuda: set Decoder to Ffmpeg (or Hardware Jetson for GStreamer on a Jetson).");
        }

        if (DecoderThreads > 0 && decoder != VideoDecoder.Ffmpeg)
        {
            errors.Add("DecoderThreads applies to Decoder Ffmpeg only (GStreamer's decoders take their own thread settings in GStreamerPipeline).");
        }

        if (DecoderThreading != DecoderThreading.Auto && decoder != VideoDecoder.Ffmpeg)
        {
            errors.Add("DecoderThreading applies to Decoder Ffmpeg only (GStreamer's decoders take their own thread settings in GStreamerPipeline).");
        }

        if (!Enum.IsDefined(DecoderThreading))
        {
            errors.Add($"DecoderThreading {(int)DecoderThreading} is not one of Auto, Slice, Frame.");
        }

        if (GStreamerPipeline.Length > 0 && decoder != VideoDecoder.GStreamer)
        {
            errors.Add("GStreamerPipeline applies to Decoder GStreamer only.");
        }

        if (decoder == VideoDecoder.GStreamer && GStreamerArguments.IsPath(Url) && GStreamerArguments.UnsafeInPath(Url) is { } unsafeCharacter)
        {
            errors.Add($"Url: GStreamer cannot be given a path holding U+{(int)unsafeCharacter:X4} ('{(char.IsControl(unsafeCharacter) ? ' ' : unsafeCharacter)}'), which its pipeline parser would act on; rename the file or use Decoder Ffmpeg.");
        }

        if (decoder == VideoDecoder.GStreamer && !GStreamerArguments.RowsUnpadded(OutputWidth))
        {
            errors.Add($"OutputWidth {OutputWidth}: GStreamer pads each RGB row to 4 bytes, so Decoder GStreamer needs a width that is a multiple of 4.");
        }

        if (GStreamerPipeline.Contains("fdsink", StringComparison.Ordinal))
        {
            errors.Add("GStreamerPipeline must stop at raw video: the source adds the conversion to RGB and the fdsink itself.");
        }

        if (V4l2Size.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(V4l2Size, "^[1-9][0-9]{0,4}x[1-9][0-9]{0,4}$"))
        {
            errors.Add($"V4l2Size '{V4l2Size}' must be WIDTHxHEIGHT, e.g. 1280x720.");
        }

        if (PoolSize <= ChannelCapacity)
        {
            errors.Add($"PoolSize ({PoolSize}) must exceed ChannelCapacity ({ChannelCapacity}): the decoder needs a buffer to read into while the channel is full.");
        }

        return errors;
    }
}
