namespace EdgeSam2.Video.Tests;

public sealed class FramePoolTests
{
    [Fact]
    public void TryRent_AllBuffersOut_FailsAndCountsWithoutAllocating()
    {
        var pool = new FramePool(2, 12);

        Assert.True(pool.TryRent(out var first));
        Assert.True(pool.TryRent(out var second));
        Assert.False(pool.TryRent(out var third));

        Assert.Null(third);
        Assert.NotSame(first, second);
        Assert.Equal(2, pool.Outstanding);
        Assert.Equal(1, pool.RentFailures);
        Assert.Equal(2, pool.TotalRented);
    }

    [Fact]
    public void Return_RentedBuffer_CanBeRentedAgain()
    {
        var pool = new FramePool(1, 12);
        Assert.True(pool.TryRent(out var buffer));

        pool.Return(buffer);

        Assert.Equal(0, pool.Outstanding);
        Assert.True(pool.TryRent(out var again));
        Assert.Same(buffer, again);
    }

    [Fact]
    public void Return_Twice_Throws()
    {
        var pool = new FramePool(2, 12);
        Assert.True(pool.TryRent(out var buffer));
        pool.Return(buffer);

        Assert.Throws<InvalidOperationException>(() => pool.Return(buffer));
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Return_ForeignBuffer_Throws()
    {
        var pool = new FramePool(1, 12);

        Assert.Throws<ArgumentException>(() => pool.Return(new byte[12]));
    }

    [Fact]
    public async Task RentAsync_PoolEmpty_WaitsForAReturn()
    {
        var pool = new FramePool(1, 12);
        Assert.True(pool.TryRent(out var held));

        var waiting = pool.RentAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        pool.Return(held);

        var rented = await waiting.WaitAsync(FrameAssert.Timeout);
        Assert.Same(held, rented);
        Assert.Equal(1, pool.Outstanding);
    }

    [Fact]
    public void Constructor_Buffers_HaveTheRequestedSize()
    {
        var pool = new FramePool(3, 64 * 48 * 3);

        Assert.True(pool.TryRent(out var buffer));

        Assert.Equal(64 * 48 * 3, buffer.Length);
        Assert.Equal(3, pool.Capacity);
        Assert.Equal(64 * 48 * 3, pool.BufferSize);
    }
}
