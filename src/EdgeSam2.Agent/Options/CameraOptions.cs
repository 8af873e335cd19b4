using EdgeSam2.Video;

namespace EdgeSam2.Agent.Options;

/// <summary>One camera or file: its own pipeline, model instance and topics.</summary>
public sealed class CameraOptions
{
    /// <summary>The camera's id: the <c>{cam}</c> level of its topics (letters, digits, <c>-</c>, <c>_</c>). Required.</summary>
    public string Id { get; set; } = "";

    /// <summary>A file path, an <c>rtsp://</c>/<c>http://</c> URL or a V4L2 device. Required.</summary>
    public string Url { get; set; } = "";

    /// <summary><c>Live</c> (real time, newest frame wins) or <c>Deterministic</c> (files: every frame, in order). Default Live.</summary>
    public SourceMode Mode { get; set; } = SourceMode.Live;

    /// <summary>Start decoding at once; false starts the camera paused until a <c>set {"enabled":true}</c>. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Live files only: play the file in an endless loop. Default false.</summary>
    public bool Loop { get; set; }
}
