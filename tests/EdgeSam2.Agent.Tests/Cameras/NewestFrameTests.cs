using System.Threading.Channels;
using EdgeSam2.Agent.Cameras;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Tests.Cameras;

/// <summary>A Live camera takes the newest frame its source holds, passing over the older ones that queued behind a slow frame.</summary>
public sealed class NewestFrameTests
{
    [Fact]
    public void TakeNewest_FramesQueuedBehindASlowFrame_NewestTakenOlderPassedOverOldestFirst()
    {
        using var pool = new FramePool(4, 12);
        var channel = Channel.CreateBounded<VideoFrame>(new BoundedChannelOptions(2) { FullMode = BoundedChannelFullMode.DropOldest });
        var taken = Frame(pool, 10);
        Assert.True(channel.Writer.TryWrite(Frame(pool, 11)));
        Assert.True(channel.Writer.TryWrite(Frame(pool, 12)));
        var passedOver = new List<VideoFrame>();

        var newest = CameraPipeline.TakeNewest(channel.Reader, taken, passedOver);

        Assert.Equal(12, newest.Sequence);
        Assert.Equal([10L, 11L], passedOver.Select(f => f.Sequence));
        Assert.False(channel.Reader.TryRead(out _));
        Assert.Equal(3, pool.Outstanding); // nothing released or lost: the caller holds all three
        passedOver.ForEach(f => f.Dispose());
        newest.Dispose();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void TakeNewest_NothingQueued_TheFrameItselfNothingPassedOver()
    {
        using var pool = new FramePool(2, 12);
        var channel = Channel.CreateBounded<VideoFrame>(2);
        var taken = Frame(pool, 3);
        var passedOver = new List<VideoFrame>();

        Assert.Same(taken, CameraPipeline.TakeNewest(channel.Reader, taken, passedOver));
        Assert.Empty(passedOver);
        taken.Dispose();
        Assert.Equal(0, pool.Outstanding);
    }

    private static VideoFrame Frame(FramePool pool, long sequence)
    {
        Assert.True(pool.TryRent(out var buffer));
        return new VideoFrame(pool, buffer, sequence, DateTimeOffset.UnixEpoch.AddMilliseconds(40 * sequence), 2, 2, 2, 2);
    }
}
