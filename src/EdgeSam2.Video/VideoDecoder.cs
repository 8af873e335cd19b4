namespace EdgeSam2.Video;

/// <summary>The program that decodes a source into raw RGB frames on its stdout.</summary>
public enum VideoDecoder
{
    /// <summary>ffmpeg: files, RTSP/RTSPS over TCP, HTTP (MJPEG and others), V4L2. Reads each frame's PTS.</summary>
    Ffmpeg,

    /// <summary>gst-launch-1.0 running a pipeline (a configurable one, or the Jetson preset). Frames carry their arrival time.</summary>
    GStreamer,
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
