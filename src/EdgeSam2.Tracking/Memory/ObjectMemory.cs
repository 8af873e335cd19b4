namespace EdgeSam2.Tracking.Memory;

/// <summary>
/// One object's bounded memory bank: conditioning entries (operator prompts), a ring of recent spatial memories,
/// and a ring of recent object pointers. Every buffer is allocated when the object is created and reused
/// afterwards, so a stream of any length costs the same memory.
/// </summary>
public sealed class ObjectMemory
{
    private readonly MemoryEntry[] _conditioning;
    private readonly MemoryEntry[] _recent;
    private readonly float[] _pointers;
    private readonly long[] _pointerFrames;
    private readonly int _pointerLength;
    private int _conditioningCount;
    private int _recentStart;
    private int _recentCount;
    private int _pointerStart;
    private int _pointerCount;

    /// <summary>Creates a bank sized for the model: <paramref name="slots"/> spatial memories in all.</summary>
    public ObjectMemory(int slots, int maxPointers, int maxConditioning, int featureLength, int pointerLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPointers, 1);
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

        // One pointer slot is the conditioning pointer's; the ring holds the rest (t−1 … t−15 in SAM 2).
        _pointers = new float[(maxPointers - 1) * pointerLength];
        _pointerFrames = new long[maxPointers - 1];
        Slots = slots;
    }

    /// <summary>Spatial memory slots shared by conditioning and recent entries.</summary>
    public int Slots { get; }

    /// <summary>Conditioning entries held, oldest first.</summary>
    public int ConditioningCount => _conditioningCount;

    /// <summary>Recent entries held (at most <see cref="Slots"/> − conditioning entries).</summary>
    public int RecentCount => _recentCount;

    /// <summary>Recent pointers held.</summary>
    public int PointerCount => _pointerCount;

    /// <summary>Spatial memories the next frame attends to.</summary>
    public int MemoryCount => _conditioningCount + _recentCount;

    /// <summary>True once the object has a conditioning entry.</summary>
    public bool IsInitialised => _conditioningCount > 0;

    /// <summary>The newest conditioning entry: its pointer leads <c>memory_0</c> and dates <c>cond_frame_id_diff</c>.</summary>
    public MemoryEntry NewestConditioning => _conditioning[_conditioningCount - 1];

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
    /// Stores an operator prompt's result. The first prompt is kept for the object's lifetime; later ones replace
    /// the newest slot once the conditioning entries are full. Recent entries give way to keep the total bounded.
    /// </summary>
    public void AddConditioning(long frame, ReadOnlySpan<float> features, ReadOnlySpan<float> objectPointer)
    {
        var index = _conditioningCount < _conditioning.Length ? _conditioningCount++ : _conditioning.Length - 1;
        _conditioning[index].Store(frame, features, objectPointer);
        while (_conditioningCount + _recentCount > Slots)
        {
            DropOldestRecent();
        }
    }

    /// <summary>Stores a tracked frame's memory and pointer, evicting the oldest when full.</summary>
    public void AddRecent(long frame, ReadOnlySpan<float> features, ReadOnlySpan<float> objectPointer)
    {
        var capacity = Slots - _conditioningCount;
        if (_recentCount == capacity)
        {
            DropOldestRecent();
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

    private void DropOldestRecent()
    {
        _recentStart = (_recentStart + 1) % _recent.Length;
        _recentCount--;
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
