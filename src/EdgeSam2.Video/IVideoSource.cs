using System.Threading.Channels;

namespace EdgeSam2.Video;

/// <summary>
/// A supervised source of decoded frames at the model's input size. Implementations: <see cref="DecoderVideoSource"/>
/// (a decoder child process: ffmpeg or gst-launch). Create one with <see cref="VideoSource.Create"/>.
/// </summary>
public interface IVideoSource : IAsyncDisposable
{
    /// <summary>Decoded frames. The reader owns each frame it reads and must dispose it.</summary>
    ChannelReader<VideoFrame> Frames { get; }

    /// <summary>A consistent-enough snapshot of the counters.</summary>
    VideoSourceStats Stats { get; }

    /// <summary>Raised on every change of state or reason, with the counters at that moment: keep handlers short.</summary>
    event EventHandler<VideoSourceStats>? StateChanged;

    /// <summary>Runs and supervises the source until cancelled, disposed, or (files) the end.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>Makes the source <see cref="VideoSourceOptions"/> describe.</summary>
public static class VideoSource
{
    /// <exception cref="ArgumentException">The options are not usable (every problem named).</exception>
    public static IVideoSource Create(
        VideoSourceOptions options, Microsoft.Extensions.Logging.ILogger? logger = null, TimeProvider? timeProvider = null, SupervisionHistory? history = null) =>
        new DecoderVideoSource(options, logger, timeProvider, history);
}
