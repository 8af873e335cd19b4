using System.Diagnostics.CodeAnalysis;

namespace EdgeSam2.Video;

/// <summary>
/// A fixed set of pinned frame buffers of one size, allocated once. An empty pool is a dropped frame (or a wait, for
/// sources that must not drop), never a new allocation. Counts what is out so tests can prove nothing leaks.
/// </summary>
public sealed class FramePool : IDisposable
{
    private readonly byte[][] _buffers;
    private readonly bool[] _rented;
    private readonly Stack<int> _free;
    private readonly Dictionary<byte[], int> _indexOf = new(ReferenceEqualityComparer.Instance);
    private readonly SemaphoreSlim _available;
    private readonly Lock _gate = new();
    private long _totalRented;
    private long _rentFailures;

    /// <summary>Allocates <paramref name="count"/> pinned buffers of <paramref name="bufferSize"/> bytes.</summary>
    public FramePool(int count, int bufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        BufferSize = bufferSize;
        _buffers = new byte[count][];
        _rented = new bool[count];
        _free = new Stack<int>(count);
        for (var i = count - 1; i >= 0; i--)
        {
            // Pinned so a consumer can hand the memory to native code (ONNX Runtime) without copying or pinning per frame.
            _buffers[i] = GC.AllocateUninitializedArray<byte>(bufferSize, pinned: true);
            _indexOf.Add(_buffers[i], i);
            _free.Push(i);
        }

        _available = new SemaphoreSlim(count, count);
    }

    /// <summary>Number of buffers the pool owns.</summary>
    public int Capacity => _buffers.Length;

    /// <summary>Size of every buffer in bytes.</summary>
    public int BufferSize { get; }

    /// <summary>Buffers currently rented and not yet returned.</summary>
    public int Outstanding
    {
        get
        {
            lock (_gate)
            {
                return _buffers.Length - _free.Count;
            }
        }
    }

    /// <summary>Successful rents since the pool was made.</summary>
    public long TotalRented => Interlocked.Read(ref _totalRented);

    /// <summary>Rents refused because every buffer was out.</summary>
    public long RentFailures => Interlocked.Read(ref _rentFailures);

    /// <summary>Rents a buffer if one is free; false (and counted) when the pool is exhausted.</summary>
    public bool TryRent([NotNullWhen(true)] out byte[]? buffer)
    {
        if (!_available.Wait(0))
        {
            Interlocked.Increment(ref _rentFailures);
            buffer = null;
            return false;
        }

        buffer = Take();
        return true;
    }

    /// <summary>Waits until a buffer is free: for consumers that must not drop (Deterministic sources).</summary>
    public async ValueTask<byte[]> RentAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Take();
    }

    /// <summary>Gives a rented buffer back. Returning a buffer twice, or one this pool does not own, is a bug and throws.</summary>
    public void Return(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        lock (_gate)
        {
            if (!_indexOf.TryGetValue(buffer, out var index))
            {
                throw new ArgumentException("The buffer does not belong to this pool.", nameof(buffer));
            }

            if (!_rented[index])
            {
                throw new InvalidOperationException("The buffer was returned twice.");
            }

            _rented[index] = false;
            _free.Push(index);
        }

        _available.Release();
    }

    /// <summary>Releases the wait handle; buffers are managed memory and need no release.</summary>
    public void Dispose() => _available.Dispose();

    private byte[] Take()
    {
        lock (_gate)
        {
            var index = _free.Pop();
            _rented[index] = true;
            _totalRented++;
            return _buffers[index];
        }
    }
}
