namespace EdgeSam2.Agent.Cameras.LatePrompts;

/// <summary>One frame kept in a <see cref="FrameRing"/>: the decoder's S×S RGB24 pixels and what they stand for.</summary>
internal sealed class RingFrame
{
    /// <summary>The pixels (the first <see cref="ByteCount"/> bytes); the buffer is the slot's and is reused.</summary>
    public byte[] Rgb24 { get; set; } = [];

    public int ByteCount => PixelWidth * PixelHeight * 3;

    public long Index { get; set; }

    public DateTimeOffset CaptureTime { get; set; }

    public int PixelWidth { get; set; }

    public int PixelHeight { get; set; }

    /// <summary>The source frame's size: prompts name points in it.</summary>
    public int FrameWidth { get; set; }

    public int FrameHeight { get; set; }
}

/// <summary>Where a frame a late prompt names stands against the ring.</summary>
internal enum RingLookup
{
    /// <summary>Kept: <c>position</c> is its place, oldest first.</summary>
    Found,

    /// <summary>Older than the oldest frame kept (or the ring is empty).</summary>
    TooOld,

    /// <summary>Not before the newest frame kept: not a late frame.</summary>
    NotEarlier,
}

/// <summary>
/// The camera's recent frames for late prompts: at most <c>capacity</c> frames, none older than <c>window</c> before the
/// newest. What is kept is the decoder's output (the S×S RGB24 the image encoder starts from): it is the cheapest of the
/// three candidates at every model size (config/README.md, <c>LatePromptMaxFrames</c>). Frame buffers are allocated
/// when the ring grows and reused from then on (a dropped frame's buffer waits for the next one), so memory is bounded by
/// the capacity (and, when the window keeps fewer frames, by the most frames it has kept at once, plus one) and a warm ring
/// allocates nothing per frame. Used by the frame loop and, while the loop awaits it, the tracking thread; not
/// thread-safe.
/// </summary>
internal sealed class FrameRing(int capacity, TimeSpan window)
{
    // Capture times within this of each other name the same frame (clients round to milliseconds), as in CommandInbox.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(1);

    private readonly RingFrame?[] _slots = new RingFrame?[Math.Max(1, capacity)];
    private readonly Stack<RingFrame> _spare = new(Math.Max(1, capacity));
    private int _head;
    private DateTimeOffset? _evicted;

    /// <summary>Frames kept now.</summary>
    public int Count { get; private set; }

    public int Capacity => _slots.Length;

    public TimeSpan Window => window;

    /// <summary>Bytes of pixel buffers the ring holds: at most (the most frames kept at once + 1) × frame bytes, never beyond the capacity's.</summary>
    public long BufferBytes
    {
        get
        {
            var total = 0L;
            foreach (var slot in _slots)
            {
                total += slot?.Rgb24.Length ?? 0;
            }

            foreach (var spare in _spare)
            {
                total += spare.Rgb24.Length;
            }

            return total;
        }
    }

    /// <summary>The kept frame at <paramref name="position"/>, 0 the oldest.</summary>
    public RingFrame this[int position] => _slots[(_head + position) % _slots.Length]!;

    /// <summary>The oldest frame kept; null when empty.</summary>
    public RingFrame? Oldest => Count == 0 ? null : this[0];

    /// <summary>Copies a frame in as the newest, dropping the oldest when full and every frame now outside the window.</summary>
    public void Add(ReadOnlySpan<byte> rgb24, int pixelWidth, int pixelHeight, int frameWidth, int frameHeight, long index, DateTimeOffset captureTime)
    {
        if (Count == _slots.Length)
        {
            Evict();
        }

        // Frames dropped from the ring wait in _spare: a window shorter than the capacity (or a jittery Live camera
        // dropping several at once) reuses them before another is allocated.
        var position = (_head + Count) % _slots.Length;
        var slot = _slots[position] ??= _spare.Count > 0 ? _spare.Pop() : new RingFrame();
        if (slot.Rgb24.Length < rgb24.Length)
        {
            slot.Rgb24 = new byte[rgb24.Length];
        }

        rgb24.CopyTo(slot.Rgb24);
        (slot.PixelWidth, slot.PixelHeight, slot.FrameWidth, slot.FrameHeight) = (pixelWidth, pixelHeight, frameWidth, frameHeight);
        (slot.Index, slot.CaptureTime) = (index, captureTime);
        Count++;
        while (Count > 1 && captureTime - this[0].CaptureTime > window)
        {
            Evict();
        }
    }

    /// <summary>Forgets every frame (the video was cut: a late prompt must not reach across the cut).</summary>
    public void Clear()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is { } frame)
            {
                _spare.Push(frame);
                _slots[i] = null;
            }
        }

        _head = 0;
        Count = 0;
        _evicted = null;
    }

    /// <summary>
    /// The kept frame a prompt's <c>frame</c> names: that frame, or the first kept after it when it was never tracked
    /// (a Live camera drops frames it cannot keep up with).
    /// </summary>
    public RingLookup FindFrame(long frame, out int position)
    {
        position = -1;
        if (Count == 0 || frame < this[0].Index)
        {
            return RingLookup.TooOld;
        }

        for (var i = 0; i < Count - 1; i++)
        {
            if (this[i].Index >= frame)
            {
                position = i;
                return RingLookup.Found;
            }
        }

        return RingLookup.NotEarlier;
    }

    /// <summary>The kept frame a prompt's <c>capture_time</c> names: the first captured at or after it (as on a live frame).</summary>
    public RingLookup FindTime(DateTimeOffset named, out int position)
    {
        position = -1;
        // The frame named is the oldest kept only when the one before it (dropped) was captured before the time named.
        if (Count == 0 || (named < this[0].CaptureTime - Tolerance && (_evicted is null || named <= _evicted.Value + Tolerance)))
        {
            return RingLookup.TooOld;
        }

        for (var i = 0; i < Count - 1; i++)
        {
            if (this[i].CaptureTime >= named - Tolerance)
            {
                position = i;
                return RingLookup.Found;
            }
        }

        return RingLookup.NotEarlier;
    }

    private void Evict()
    {
        _evicted = this[0].CaptureTime;
        _spare.Push(_slots[_head]!);
        _slots[_head] = null;
        _head = (_head + 1) % _slots.Length;
        Count--;
    }
}
