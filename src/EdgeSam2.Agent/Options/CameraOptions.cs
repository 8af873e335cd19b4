using EdgeSam2.Video;

namespace EdgeSam2.Agent.Options;

/// <summary>One camera or file: its own pipeline, topics and decoder supervision.</summary>
public sealed class CameraOptions
{
    /// <summary>The camera's id: the <c>{cam}</c> level of its topics (letters, digits, <c>-</c>, <c>_</c>). Required.</summary>
    public string Id { get; set; } = "";

    /// <summary>A file path, an <c>rtsp://</c>/<c>rtsps://</c>/<c>http://</c> URL or a V4L2 device. Required.</summary>
    public string Url { get; set; } = "";

    /// <summary><c>Live</c> (real time, newest frame wins) or <c>Deterministic</c> (files: every frame, in order). Default Live.</summary>
    public SourceMode Mode { get; set; } = SourceMode.Live;

    /// <summary>Start decoding at once; false starts the camera paused until a <c>set {"enabled":true}</c>. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Live files only: play the file again each time it ends (a <c>looped</c> event); false: the camera finishes. Default false.</summary>
    public bool Loop { get; set; }

    /// <summary>Live: this camera's <c>Tracking:LatePromptSeconds</c>; unset takes the global one. Default unset.</summary>
    public double? LatePromptSeconds { get; set; }

    /// <summary>Live: this camera's <c>Tracking:LatePromptMaxFrames</c>; unset takes the global one. Default unset.</summary>
    public int? LatePromptMaxFrames { get; set; }

    /// <summary>No frame for this long: the decoder is killed and restarted, state <c>stalled</c>. Default 10.</summary>
    public double StallTimeoutSeconds { get; set; } = 10;

    /// <summary>First restart delay after a failure; doubles per consecutive failure, back to this as soon as a frame arrives. Default 1000.</summary>
    public int RestartMinDelayMs { get; set; } = 1000;

    /// <summary>Cap of the restart delay. Default 30000.</summary>
    public int RestartMaxDelayMs { get; set; } = 30000;

    /// <summary>Each restart delay is drawn from ± this fraction around the nominal one (0..1). Default 0.2.</summary>
    public double RestartJitter { get; set; } = 0.2;

    /// <summary>More decoding-error lines than this within 10 s restarts the decoder (misbehaviour); 0 = off. Default 50.</summary>
    public int MaxDecodeErrors { get; set; } = 50;

    /// <summary>Network sources: socket time-out for connecting and each read (RTSP <c>-timeout</c>, HTTP <c>-rw_timeout</c>). Default 5.</summary>
    public double NetworkTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// <c>Auto</c> (GStreamer for a plain <c>rtsp://</c> camera where it is installed, a frame period sooner; ffmpeg
    /// otherwise), <c>Ffmpeg</c> or <c>GStreamer</c> (gst-launch-1.0). Default Auto.
    /// </summary>
    public VideoDecoder Decoder { get; set; } = VideoDecoder.Auto;

    /// <summary><c>None</c> (software), <c>Nvdec</c> (ffmpeg <c>-hwaccel cuda</c>) or <c>Jetson</c> (GStreamer nvv4l2decoder + nvvidconv). Default None.</summary>
    public HardwareDecoding Hardware { get; set; } = HardwareDecoding.None;

    /// <summary>GStreamer: the decoding part of the pipeline up to raw video, <c>{url}</c> replaced; empty builds it from the URL. Default empty.</summary>
    public string GStreamerPipeline { get; set; } = "";

    /// <summary>ffmpeg: decoding threads (<c>-threads</c>); 0 = ffmpeg's choice. Default 0.</summary>
    public int DecoderThreads { get; set; }

    /// <summary>
    /// ffmpeg: <c>Auto</c> (Live: slice threading, no frame held back; Deterministic: frame and slice), <c>Slice</c> or
    /// <c>Frame</c> (frame and slice threading for a Live stream too heavy for one core, each frame (threads − 1) frames late). Default Auto.
    /// </summary>
    public DecoderThreading DecoderThreading { get; set; }

    /// <summary>ffmpeg: force the input format, e.g. <c>mpjpeg</c> for HTTP MJPEG. Default empty (probed).</summary>
    public string InputFormat { get; set; } = "";

    /// <summary>V4L2: pixel format (<c>mjpeg</c>, <c>yuyv422</c> …). Default empty (the driver's).</summary>
    public string V4l2PixelFormat { get; set; } = "";

    /// <summary>V4L2: capture size, <c>WIDTHxHEIGHT</c>. Default empty (the driver's).</summary>
    public string V4l2Size { get; set; } = "";

    /// <summary>V4L2: capture rate in frames per second. Default 0 (the driver's).</summary>
    public int V4l2FrameRate { get; set; }

    /// <summary>The video source these options describe, delivering frames at <paramref name="width"/>×<paramref name="height"/>.</summary>
    public VideoSourceOptions ToSourceOptions(int width, int height) => new()
    {
        Name = Id,
        Url = Url,
        OutputWidth = width,
        OutputHeight = height,
        Mode = Mode,
        Loop = Loop,
        StallTimeout = Seconds(StallTimeoutSeconds),
        RestartMinDelay = TimeSpan.FromMilliseconds(RestartMinDelayMs),
        RestartMaxDelay = TimeSpan.FromMilliseconds(RestartMaxDelayMs),
        RestartJitter = RestartJitter,
        MaxDecodeErrors = MaxDecodeErrors,
        NetworkTimeout = Seconds(NetworkTimeoutSeconds),
        Decoder = Decoder,
        Hardware = Hardware,
        GStreamerPipeline = GStreamerPipeline,
        DecoderThreads = DecoderThreads,
        DecoderThreading = DecoderThreading,
        InputFormat = InputFormat,
        V4l2PixelFormat = V4l2PixelFormat,
        V4l2Size = V4l2Size,
        V4l2FrameRate = V4l2FrameRate,
    };

    // Out-of-range values are reported by validation; here they only must not throw.
    private static TimeSpan Seconds(double seconds) =>
        double.IsFinite(seconds) && seconds > 0 && seconds < 86_400 ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
}
