namespace EdgeSam2.Video;

/// <summary>
/// One decoded frame, already scaled to the model's input size, in a pooled buffer. The consumer owns it and must
/// dispose it to give the buffer back; disposing twice is harmless.
/// </summary>
public sealed class VideoFrame : IDisposable
{
    private readonly FramePool _pool;
    private byte[]? _buffer;

    /// <summary>Wraps a buffer rented from <paramref name="pool"/>; the frame returns it on dispose.</summary>
    public VideoFrame(FramePool pool, byte[] buffer, long sequence, DateTimeOffset captureTime, int width, int height, int sourceWidth, int sourceHeight)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, width * height * 3, nameof(buffer));
        _pool = pool;
        _buffer = buffer;
        Sequence = sequence;
        CaptureTime = captureTime;
        Width = width;
        Height = height;
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
    }

    /// <summary>Decoder frame index from 0: a file's frame number; keeps increasing across decoder restarts.</summary>
    public long Sequence { get; }

    /// <summary>Files in Deterministic mode: start time plus the frame's presentation time. Live: wall clock when read.</summary>
    public DateTimeOffset CaptureTime { get; }

    /// <summary>
    /// When the decoder's output was read (the source's <see cref="TimeProvider"/> timestamp): where the agent's own
    /// latency figures start on a Deterministic file, whose capture time is not a wall-clock time. 0 when unknown.
    /// </summary>
    public long ReadTimestamp { get; init; }

    /// <summary>Delivered width (the requested output width).</summary>
    public int Width { get; }

    /// <summary>Delivered height (the requested output height).</summary>
    public int Height { get; }

    /// <summary>Width of the stream before scaling; 0 when the decoder did not report it.</summary>
    public int SourceWidth { get; }

    /// <summary>Height of the stream before scaling; 0 when the decoder did not report it.</summary>
    public int SourceHeight { get; }

    /// <summary>Pixels as tightly packed RGB, row-major, <c>Width * Height * 3</c> bytes. Invalid after dispose.</summary>
    public ReadOnlyMemory<byte> Rgb24
    {
        get
        {
            var buffer = Volatile.Read(ref _buffer);
            ObjectDisposedException.ThrowIf(buffer is null, this);
            return buffer.AsMemory(0, Width * Height * 3);
        }
    }

    /// <summary>Returns the buffer to its pool exactly once.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            _pool.Return(buffer);
        }
    }
}
