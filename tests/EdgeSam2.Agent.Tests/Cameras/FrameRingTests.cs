using EdgeSam2.Agent.Cameras.LatePrompts;

namespace EdgeSam2.Agent.Tests.Cameras;

public sealed class FrameRingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private const int Side = 16;

    private static void Add(FrameRing ring, long index, byte fill = 0)
    {
        Span<byte> rgb = stackalloc byte[Side * Side * 3];
        rgb.Fill(fill);
        ring.Add(rgb, Side, Side, 640, 480, index, T0 + (index * Step));
    }

    [Fact]
    public void FindTime_ExtremeTimesFromAClient_AnsweredWithoutThrowing()
    {
        // capture_time is the operator's: the year 1 and the year 9999 must be answered, not overflow the tolerance.
        var ring = new FrameRing(4, TimeSpan.FromSeconds(60));
        for (var i = 0; i < 6; i++)
        {
            Add(ring, i);
        }

        Assert.Equal(RingLookup.TooOld, ring.FindTime(DateTimeOffset.MinValue, out _));
        Assert.Equal(RingLookup.NotEarlier, ring.FindTime(DateTimeOffset.MaxValue, out _));
        ring.Clear();
        Assert.Equal(RingLookup.TooOld, ring.FindTime(DateTimeOffset.MaxValue, out _));
        Assert.Equal(RingLookup.TooOld, ring.FindFrame(long.MaxValue, out _));
    }

    [Fact]
    public void Add_LongRun_HoldsItsBoundAndAllocatesNothingOnceWarm()
    {
        var ring = new FrameRing(20, TimeSpan.FromSeconds(60));
        for (var i = 0; i < 20; i++)
        {
            Add(ring, i);
        }

        var warm = ring.BufferBytes;
        Assert.Equal(20L * Side * Side * 3, warm);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 20; i < 20_000; i++)
        {
            Add(ring, i, (byte)i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(20, ring.Count);
        Assert.Equal(warm, ring.BufferBytes);
        Assert.Equal(19_980, ring.Oldest!.Index);
        Assert.Equal(19_999 % 256, ring[19].Rgb24[0]);
    }

    [Fact]
    public void Add_JitteryLiveCameraUnderAShortWindow_HoldsNoMoreBuffersThanFramesKeptAtOncePlusOne()
    {
        // A Live camera drops frames and jitters: one Add can push several frames out of the window. Their buffers must
        // serve the frames that follow, so the ring never holds more buffers than the most frames it kept at once, plus
        // the one a frame is copied into before the window drops the oldest.
        var ring = new FrameRing(60, TimeSpan.FromSeconds(2));
        Span<byte> rgb = stackalloc byte[Side * Side * 3];
        var random = new Random(7);
        var time = T0;
        var peak = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var gap = random.Next(10) switch { < 8 => 100, 8 => 200, _ => random.Next(2) == 0 ? 300 : 500 };
            time += TimeSpan.FromMilliseconds(gap);
            ring.Add(rgb, Side, Side, 640, 480, i, time);
            peak = Math.Max(peak, ring.Count);
        }

        Assert.True(ring.BufferBytes <= (long)(peak + 1) * Side * Side * 3, $"{ring.BufferBytes} bytes held for at most {peak} frames kept");
        Assert.True(peak <= 21, $"peak {peak}");
    }

    [Fact]
    public void Add_OlderThanTheWindow_Dropped()
    {
        var ring = new FrameRing(100, TimeSpan.FromSeconds(1));
        for (var i = 0; i < 30; i++)
        {
            Add(ring, i);
        }

        // 1 s at 10 fps: frames 19..29 (frame 19 is exactly 1 s before frame 29).
        Assert.Equal(11, ring.Count);
        Assert.Equal(19, ring.Oldest!.Index);

        // Memory follows the window, not the capacity: the frame dropped last is reused for the next one.
        var bytes = ring.BufferBytes;
        Assert.Equal(12L * Side * Side * 3, bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 30; i < 1_000; i++)
        {
            Add(ring, i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(bytes, ring.BufferBytes);
        Assert.Equal(11, ring.Count);
    }

    [Fact]
    public void FindFrame_KeptOlderAndCurrent_FoundTooOldOrNotEarlier()
    {
        var ring = new FrameRing(10, TimeSpan.FromSeconds(60));
        foreach (var i in new long[] { 10, 11, 13, 14, 15 })
        {
            Add(ring, i);
        }

        Assert.Equal(RingLookup.Found, ring.FindFrame(11, out var at11));
        Assert.Equal(11, ring[at11].Index);
        Assert.Equal(RingLookup.Found, ring.FindFrame(12, out var at12)); // never tracked: the next kept frame
        Assert.Equal(13, ring[at12].Index);
        Assert.Equal(RingLookup.TooOld, ring.FindFrame(9, out _));
        Assert.Equal(RingLookup.NotEarlier, ring.FindFrame(15, out _));
    }

    [Fact]
    public void FindTime_FirstFrameCapturedAtOrAfter_TooOldBeforeTheOldestKept()
    {
        var ring = new FrameRing(5, TimeSpan.FromSeconds(60));
        for (var i = 0; i < 8; i++)
        {
            Add(ring, i);
        }

        // Kept: 3..7; frame 2 (evicted) was captured at T0 + 200 ms.
        Assert.Equal(RingLookup.Found, ring.FindTime(T0 + (4 * Step), out var at4));
        Assert.Equal(4, ring[at4].Index);
        Assert.Equal(RingLookup.Found, ring.FindTime(T0 + TimeSpan.FromMilliseconds(450), out var between));
        Assert.Equal(5, ring[between].Index);
        Assert.Equal(RingLookup.Found, ring.FindTime(T0 + TimeSpan.FromMilliseconds(250), out var afterEvicted));
        Assert.Equal(3, ring[afterEvicted].Index);
        Assert.Equal(RingLookup.TooOld, ring.FindTime(T0 + (2 * Step), out _));
        Assert.Equal(RingLookup.NotEarlier, ring.FindTime(T0 + (7 * Step), out _));
    }

    [Fact]
    public void Clear_AfterACut_NothingIsFound()
    {
        var ring = new FrameRing(5, TimeSpan.FromSeconds(60));
        Add(ring, 0);
        Add(ring, 1);
        ring.Clear();
        Assert.Equal(0, ring.Count);
        Assert.Equal(RingLookup.TooOld, ring.FindFrame(0, out _));
        Assert.Equal(RingLookup.TooOld, ring.FindTime(T0, out _));
    }
}
