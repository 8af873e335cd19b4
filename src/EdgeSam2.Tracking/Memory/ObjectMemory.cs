namespace EdgeSam2.Tracking.Memory;

/// <summary>
/// One object's bounded memory bank, laid out as SAM 2 keeps it: conditioning entries (operator prompts), a ring
/// of the <c>slots − 1</c> most recent tracked frames' spatial memories, and a ring of the <c>maxPointers − 1</c>
/// most recent tracked frames' object pointers. Conditioning entries do not take recent slots: SAM 2 attends every
/// conditioning frame plus up to six recent frames. SAM 2 keeps every conditioning frame; this bank keeps the
/// first and the newest <c>maxConditioning − 1</c>, so a stream of any length costs the same memory. Besides them, up
/// to <c>maxAnchors</c> anchor memories (DAM4SAM's distractor-resolving memory): frames written while the target was
/// reliable with a look-alike near it, kept until a newer anchor replaces the oldest, so no run of absent or ordinary
/// frames pushes them out. Anchors share the recent frames' places in attention (<see cref="MemoryAssembler"/>). Every
/// buffer is allocated when the object is created and reused afterwards.
/// </summary>
public sealed class ObjectMemory
{
    private readonly MemoryEntry[] _conditioning;
    private readonly MemoryEntry[] _recent;
    private readonly MemoryEntry[] _anchors;
    private int _anchorStart;
    private int _anchorCount;
    private readonly float[] _pointers;
    private readonly long[] _pointerFrames;
    private readonly int _pointerLength;
    private int _conditioningCount;
    private int _recentStart;
    private int _recentCount;
    private int _pointerStart;
    private int _pointerCount;

    /// <summary>Creates a bank sized for the model: <paramref name="slots"/> temporal codes (one conditioning, the rest recent).</summary>
    public ObjectMemory(int slots, int maxPointers, int maxConditioning, int featureLength, int pointerLength, int maxAnchors = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxAnchors);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maxAnchors, slots - 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPointers, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConditioning, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maxConditioning, slots);
        _pointerLength = pointerLength;
        _conditioning = new MemoryEntry[maxConditioning];
        for (var i = 0; i < maxConditioning; i++)
        {
            _conditioning[i] = new MemoryEntry(featureLength, pointerLength);
        }

        _recent = new MemoryEntry[slots - 1];
        for (var i = 0; i < _recent.Length; i++)
        {
            _recent[i] = new MemoryEntry(featureLength, pointerLength);
        }

        _anchors = new MemoryEntry[maxAnchors];
        for (var i = 0; i < maxAnchors; i++)
        {
            _anchors[i] = new MemoryEntry(featureLength, pointerLength);
        }

        // SAM 2 passes the non-conditioning pointers of t−1 … t−(maxPointers−1) besides the conditioning ones.
        _pointers = new float[(maxPointers - 1) * pointerLength];
        _pointerFrames = new long[maxPointers - 1];
        Slots = slots;
        MaxConditioning = maxConditioning;
        MaxPointers = maxPointers;
    }

    /// <summary>Temporal codes of the model: the last is the conditioning frames', the others recent frames' (k back → k−1).</summary>
    public int Slots { get; }

    /// <summary>Most conditioning entries kept.</summary>
    public int MaxConditioning { get; }

    /// <summary>The model's pointer window: non-conditioning pointers reach back <c>MaxPointers − 1</c> frames.</summary>
    public int MaxPointers { get; }

    /// <summary>Conditioning entries held, oldest first.</summary>
    public int ConditioningCount => _conditioningCount;

    /// <summary>Recent entries held (at most <see cref="Slots"/> − 1).</summary>
    public int RecentCount => _recentCount;

    /// <summary>Recent pointers held.</summary>
    public int PointerCount => _pointerCount;

    /// <summary>Spatial memories held: every conditioning entry, anchor and recent one.</summary>
    public int MemoryCount => _conditioningCount + _anchorCount + _recentCount;

    /// <summary>Most spatial memories the bank holds: conditioning entries, anchors and the recent ring.</summary>
    public int Capacity => _conditioning.Length + _anchors.Length + _recent.Length;

    /// <summary>Most anchor memories kept.</summary>
    public int MaxAnchors => _anchors.Length;

    /// <summary>Anchor memories held.</summary>
    public int AnchorCount => _anchorCount;

    /// <summary>Frame of the newest anchor, or −1 when there is none.</summary>
    public long NewestAnchorFrame => _anchorCount == 0 ? -1 : Anchor(_anchorCount - 1).Frame;

    /// <summary>Anchor <paramref name="index"/>, oldest first.</summary>
    public MemoryEntry Anchor(int index) => _anchors[(_anchorStart + index) % _anchors.Length];

    /// <summary>
    /// Keeps a frame's memory as an anchor (the newest), replacing the oldest anchor when full. Only anchors replace
    /// anchors: recent and absent frames never evict them.
    /// </summary>
    public void AddAnchor(long frame, ReadOnlySpan<float> features, ReadOnlySpan<float> objectPointer)
    {
        if (_anchors.Length == 0)
        {
            return;
        }

        if (_anchorCount == _anchors.Length)
        {
            _anchorStart = (_anchorStart + 1) % _anchors.Length;
            _anchorCount--;
        }

        _anchors[(_anchorStart + _anchorCount) % _anchors.Length].Store(frame, features, objectPointer);
        _anchorCount++;
    }

    /// <summary>True once the object has a conditioning entry.</summary>
    public bool IsInitialised => _conditioningCount > 0;

    /// <summary>The newest conditioning entry.</summary>
    public MemoryEntry NewestConditioning => _conditioning[_conditioningCount - 1];

    /// <summary>The oldest conditioning entry (the object's first prompt, kept for its lifetime).</summary>
    public MemoryEntry OldestConditioning => _conditioning[0];

    /// <summary>Frame of the newest recent entry, or −1 when there is none.</summary>
    public long NewestRecentFrame => _recentCount == 0 ? -1 : Recent(_recentCount - 1).Frame;

    /// <summary>Conditioning entry <paramref name="index"/>, oldest first.</summary>
    public MemoryEntry Conditioning(int index) => _conditioning[index];

    /// <summary>Recent entry <paramref name="index"/>, oldest first.</summary>
    public MemoryEntry Recent(int index) => _recent[(_recentStart + index) % _recent.Length];

    /// <summary>Recent pointer <paramref name="newestFirstIndex"/> (0 = newest) and the frame it came from.</summary>
    public ReadOnlySpan<float> RecentPointer(int newestFirstIndex, out long frame)
    {
        var slot = (_pointerStart + _pointerCount - 1 - newestFirstIndex) % _pointerFrames.Length;
        frame = _pointerFrames[slot];
        return _pointers.AsSpan(slot * _pointerLength, _pointerLength);
    }

    /// <summary>
    /// Stores an operator prompt's result as a conditioning entry. A second prompt on the same frame replaces that
    /// frame's entry. The first prompt is kept for the object's lifetime; once the entries are full a new prompt
    /// replaces the oldest after it. Recent entries are not touched: conditioning frames have their own places.
    /// </summary>
    public void AddConditioning(long frame, ReadOnlySpan<float> features, ReadOnlySpan<float> objectPointer)
    {
        int index;
        if (_conditioningCount > 0 && NewestConditioning.Frame == frame)
        {
            index = _conditioningCount - 1;
        }
        else if (_conditioningCount < _conditioning.Length)
        {
            index = _conditioningCount++;
        }
        else
        {
            // Full: the oldest entry after the first gives its buffers to the new one (references move, no copy).
            index = _conditioning.Length - 1;
            var reused = _conditioning[Math.Min(1, index)];
            for (var i = 1; i < index; i++)
            {
                _conditioning[i] = _conditioning[i + 1];
            }

            _conditioning[index] = reused;
        }

        _conditioning[index].Store(frame, features, objectPointer);
    }

    /// <summary>
    /// Forgets the tracked frames' memories, anchors and pointers, keeping the conditioning (prompted) entries: after a cut in
    /// the video (a looping file starting again) the recent frames describe a scene that is gone.
    /// </summary>
    public void ClearRecent()
    {
        _anchorStart = 0;
        _anchorCount = 0;
        _recentStart = 0;
        _recentCount = 0;
        _pointerStart = 0;
        _pointerCount = 0;
    }

    /// <summary>
    /// Rewinds the tracked frames for a correction on <paramref name="frame"/>: forgets the recent memories, anchors and
    /// pointers written on that frame or later (they followed the track the correction replaces, and the frame itself is
    /// about to become a conditioning frame, whose output SAM 2 keeps in place of its tracked one). Older ones stay, as
    /// SAM 2 attends them when it propagates again from the corrected frame. Conditioning entries are not touched: the
    /// caller refuses a correction before one of them. Every ring holds its entries in frame order, so this drops from
    /// the newest end.
    /// </summary>
    public void RewindTo(long frame)
    {
        while (_recentCount > 0 && Recent(_recentCount - 1).Frame >= frame)
        {
            _recentCount--;
        }

        while (_anchorCount > 0 && Anchor(_anchorCount - 1).Frame >= frame)
        {
            _anchorCount--;
        }

        while (_pointerCount > 0 && _pointerFrames[(_pointerStart + _pointerCount - 1) % _pointerFrames.Length] >= frame)
        {
            _pointerCount--;
        }
    }

    /// <summary>Stores a tracked frame's memory and pointer, evicting the oldest when full.</summary>
    public void AddRecent(long frame, ReadOnlySpan<float> features, ReadOnlySpan<float> objectPointer)
    {
        if (_recentCount == _recent.Length)
        {
            _recentStart = (_recentStart + 1) % _recent.Length;
            _recentCount--;
        }

        _recent[(_recentStart + _recentCount) % _recent.Length].Store(frame, features, objectPointer);
        _recentCount++;

        if (_pointerCount == _pointerFrames.Length)
        {
            _pointerStart = (_pointerStart + 1) % _pointerFrames.Length;
            _pointerCount--;
        }

        var slot = (_pointerStart + _pointerCount) % _pointerFrames.Length;
        objectPointer.CopyTo(_pointers.AsSpan(slot * _pointerLength, _pointerLength));
        _pointerFrames[slot] = frame;
        _pointerCount++;
    }
}

/// <summary>One frame's spatial memory and object pointer, in buffers reused for the bank's lifetime.</summary>
public sealed class MemoryEntry
{
    internal MemoryEntry(int featureLength, int pointerLength)
    {
        Features = new float[featureLength];
        ObjectPointer = new float[pointerLength];
    }

    /// <summary>Frame index the entry was made on.</summary>
    public long Frame { get; private set; }

    /// <summary><c>maskmem_features</c> [Cm,H,W].</summary>
    public float[] Features { get; }

    /// <summary><c>obj_ptr</c> [C].</summary>
    public float[] ObjectPointer { get; }

    internal void Store(long frame, ReadOnlySpan<float> features, ReadOnlySpan<float> objectPointer)
    {
        Frame = frame;
        features.CopyTo(Features);
        objectPointer.CopyTo(ObjectPointer);
    }
}
