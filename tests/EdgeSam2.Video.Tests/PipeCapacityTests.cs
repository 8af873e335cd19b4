using System.IO.Pipes;

namespace EdgeSam2.Video.Tests;

/// <summary>Growing a real Linux pipe so a raw frame fits in it.</summary>
public sealed class PipeCapacityTests
{
    private static int MaxSize() => int.Parse(File.ReadAllText("/proc/sys/fs/pipe-max-size").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void TryGrow_FrameLargerThanThePipe_PipeHoldsTheFrame()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        var frame = Math.Min(512 * 384 * 3, MaxSize());

        var capacity = PipeCapacity.TryGrow(pipe, frame);

        Assert.True(capacity >= frame, $"capacity {capacity} < frame {frame}");
    }

    [Fact]
    public void TryGrow_FrameAboveTheSystemMaximum_GrowsToTheMaximumOnly()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);

        var capacity = PipeCapacity.TryGrow(pipe, 64 << 20);

        // pipe-max-size is a power of two pages by default; the kernel rounds a request up to one.
        Assert.InRange(capacity, MaxSize(), 2 * MaxSize() - 1);
    }

    [Fact]
    public void TryGrow_PipeAlreadyLargeEnough_LeftAsItIs()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);

        Assert.Equal(64 * 1024, PipeCapacity.TryGrow(pipe, 1000));
    }

    [Fact]
    public async Task Start_Decoder_StdoutPipeHoldsAFrame()
    {
        var frame = Math.Min(512 * 384 * 3, MaxSize());
        var command = new DecoderCommand("ffmpeg", ["-hide_banner", "-nostdin", "-f", "lavfi", "-i", "color=size=16x16:rate=1", "-frames:v", "1", "-f", "rawvideo", "pipe:1"], "ffmpeg", ReportsPts: false, GdpFramed: false, new Dictionary<string, string?>());
        await using var decoder = DecoderProcess.Start(command, new DecodeErrorMonitor(TimeProvider.System, 100, TimeSpan.FromSeconds(10)), frame);

        Assert.True(decoder.PipeBytes >= frame, $"pipe {decoder.PipeBytes} < frame {frame}");
    }

    [Fact]
    public void TryGrow_NotAPipe_ReturnsZero()
    {
        using var file = new MemoryStream();

        Assert.Equal(0, PipeCapacity.TryGrow(file, 1 << 20));
    }
}
