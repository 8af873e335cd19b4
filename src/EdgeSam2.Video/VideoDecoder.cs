namespace EdgeSam2.Video;

/// <summary>The program that decodes a source into raw RGB frames on its stdout.</summary>
public enum VideoDecoder
{
    /// <summary>ffmpeg: files, RTSP/RTSPS over TCP, HTTP (MJPEG and others), V4L2. Reads each frame's PTS.</summary>
    Ffmpeg,

    /// <summary>
    /// gst-launch-1.0 running a pipeline (a configurable one, or the Jetson preset). Frames come through <c>gdppay</c>,
    /// whose headers carry each one's PTS; libavcodec's error lines come through GStreamer's debug log.
    /// </summary>
    GStreamer,

    /// <summary>
    /// The agent's default: GStreamer for a plain <c>rtsp://</c> camera where it is installed (a frame period sooner),
    /// ffmpeg for everything else; a setting only one decoder takes decides it (<see cref="DecoderChoice"/>).
    /// </summary>
    Auto,
}

/// <summary>Hardware decoding presets; software decoding is the default.</summary>
public enum HardwareDecoding
{
    /// <summary>Software decoding.</summary>
    None,

    /// <summary>x86 NVIDIA GPUs through ffmpeg: <c>-hwaccel cuda</c> (NVDEC), frames copied back to host memory for scaling.</summary>
    Nvdec,

    /// <summary>NVIDIA Jetson through GStreamer: <c>nvv4l2decoder</c> and <c>nvvidconv</c> (scaling on the VIC).</summary>
    Jetson,
}

/// <summary>How ffmpeg spreads one stream's decoding over its threads (<c>-thread_type</c>).</summary>
public enum DecoderThreading
{
    /// <summary>Slice threading for a Live source (no frame held back); a Deterministic file keeps ffmpeg's default, frame and slice threading.</summary>
    Auto,

    /// <summary>
    /// Slice threading only: each frame's slices on several threads, no frame held back. A stream of one slice a frame,
    /// as most cameras send, decodes on one thread.
    /// </summary>
    Slice,

    /// <summary>
    /// Frame and slice threading, ffmpeg's default: several frames decode at once, for a stream too heavy for one core.
    /// Each frame is handed out only once (threads − 1) later frames are in, a delay of that many frame periods that the
    /// capture clock, anchored at the first frame out, does not show.
    /// </summary>
    Frame,
}
