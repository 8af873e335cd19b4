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
    /// No frame for this long while waiting on the decoder: kill it and restart (Live) or fail (Deterministic).
    /// Also bounds the time to the first frame after a (re)start. Default 10 s.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Delay before the first restart after a failure; doubles per consecutive failure. Default 1 s.</summary>
    public TimeSpan RestartMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap on the restart delay. Default 30 s.</summary>
    public TimeSpan RestartMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A decoder that streamed at least this long counts as healthy: the back-off starts again from <see cref="RestartMinDelay"/>. Default 60 s.</summary>
    public TimeSpan HealthyPeriod { get; set; } = TimeSpan.FromSeconds(60);

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

    /// <summary>Live files only: play the file in an endless loop (<c>-stream_loop -1</c>). Default false.</summary>
    public bool Loop { get; set; }

    /// <summary>
    /// Extra ffmpeg arguments placed before <c>-i</c> (e.g. <c>-hwaccel cuda</c>, <c>-input_format mjpeg</c> for V4L2).
    /// Default none.
    /// </summary>
    public IList<string> InputArguments { get; set; } = [];

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

        if (PoolSize <= ChannelCapacity)
        {
            errors.Add($"PoolSize ({PoolSize}) must exceed ChannelCapacity ({ChannelCapacity}): the decoder needs a buffer to read into while the channel is full.");
        }

        return errors;
    }
}
