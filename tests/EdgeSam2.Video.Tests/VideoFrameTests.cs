namespace EdgeSam2.Video.Tests;

public sealed class VideoFrameTests
{
    [Fact]
    public void Dispose_Twice_ReturnsTheBufferOnce()
    {
        var pool = new FramePool(2, 2 * 2 * 3);
        Assert.True(pool.TryRent(out var buffer));
        var frame = new VideoFrame(pool, buffer, 7, DateTimeOffset.UnixEpoch, 2, 2, 4, 4);

        frame.Dispose();
        frame.Dispose();

        Assert.Equal(0, pool.Outstanding);
        Assert.True(pool.TryRent(out _));
        Assert.True(pool.TryRent(out _));
        Assert.False(pool.TryRent(out _));
    }

    [Fact]
    public void Rgb24_AfterDispose_Throws()
    {
        var pool = new FramePool(1, 12);
        Assert.True(pool.TryRent(out var buffer));
        var frame = new VideoFrame(pool, buffer, 0, DateTimeOffset.UnixEpoch, 2, 2, 2, 2);

        frame.Dispose();

        Assert.Throws<ObjectDisposedException>(() => frame.Rgb24);
    }

    [Fact]
    public void Rgb24_LargerBuffer_IsExactlyWidthTimesHeightTimesThree()
    {
        var pool = new FramePool(1, 100);
        Assert.True(pool.TryRent(out var buffer));
        using var frame = new VideoFrame(pool, buffer, 0, DateTimeOffset.UnixEpoch, 3, 2, 3, 2);

        Assert.Equal(18, frame.Rgb24.Length);
    }

    [Fact]
    public void Constructor_BufferTooSmall_Throws()
    {
        var pool = new FramePool(1, 11);
        Assert.True(pool.TryRent(out var buffer));

        Assert.Throws<ArgumentOutOfRangeException>(() => new VideoFrame(pool, buffer, 0, DateTimeOffset.UnixEpoch, 2, 2, 2, 2));
    }
}
