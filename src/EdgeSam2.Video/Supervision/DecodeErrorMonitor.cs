namespace EdgeSam2.Video;

/// <summary>
/// Misbehaviour: a decoder that keeps running and delivering frames while it reports error after error (a corrupt or
/// half-broken stream: "error while decoding MB", "concealing", "corrupt decoded frame"). More than
/// <c>limit</c> error lines within <c>window</c> means the decoder is restarted, which resynchronises the stream at
/// its next key frame. Thread-safe: stderr lines arrive on their own thread.
/// </summary>
internal sealed class DecodeErrorMonitor
{
    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly Queue<long> _errors = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _tripped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="time">The clock.</param>
    /// <param name="limit">Error lines tolerated within <paramref name="window"/>; 0 turns the check off.</param>
    /// <param name="window">The period errors are counted over.</param>
    public DecodeErrorMonitor(TimeProvider time, int limit, TimeSpan window)
    {
        _time = time;
        _limit = limit;
        _window = window;
    }

    /// <summary>Completes once the limit was exceeded.</summary>
    public Task Tripped => _tripped.Task;

    /// <summary>The last error line seen; empty when none.</summary>
    public string LastError { get; private set; } = "";

    /// <summary>Looks at one stderr line; counts it when it reports a decoding error.</summary>
    public void Observe(string line)
    {
        if (_limit == 0 || !IsDecodeError(line))
        {
            return;
        }

        lock (_gate)
        {
            LastError = line;
            var now = _time.GetTimestamp();
            _errors.Enqueue(now);
            while (_time.GetElapsedTime(_errors.Peek(), now) > _window)
            {
                _errors.Dequeue();
            }

            if (_errors.Count > _limit)
            {
                _tripped.TrySetResult();
            }
        }
    }

    /// <summary>ffmpeg's wording for damaged input (libavcodec's decoders and the demuxers).</summary>
    public static bool IsDecodeError(string line) =>
        line.Contains("error while decoding", StringComparison.OrdinalIgnoreCase)
        || line.Contains("concealing", StringComparison.Ordinal)
        || line.Contains("corrupt", StringComparison.OrdinalIgnoreCase)
        || line.Contains("Invalid NAL unit", StringComparison.Ordinal)
        || line.Contains("decode_slice_header error", StringComparison.Ordinal)
        || line.Contains("non-existing PPS", StringComparison.Ordinal);
}
