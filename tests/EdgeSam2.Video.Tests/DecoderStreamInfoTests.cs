namespace EdgeSam2.Video.Tests;

public sealed class DecoderStreamInfoTests
{
    [Fact]
    public void TryParse_FfvOneInputLine_ReadsSizeAndRateNotTheCodecTag()
    {
        const string line = "  Stream #0:0: Video: ffv1 (FFV1 / 0x31564646), bgr0(pc, gbr/unknown/unknown, progressive), 64x48, SAR 1:1 DAR 4:3, 25 fps, 25 tbr, 1k tbn";

        Assert.True(DecoderStreamInfo.TryParse(line, out var info));

        Assert.Equal(new DecoderStreamInfo(64, 48, 25), info);
    }

    [Fact]
    public void TryParse_RtspH264Line_ReadsSizeBeforeSarBracket()
    {
        const string line = "  Stream #0:0: Video: h264 (Constrained Baseline), yuv420p(tv, smpte170m, progressive), 1920x1080 [SAR 1:1 DAR 16:9], 29.97 fps, 24.83 tbr, 90k tbn";

        Assert.True(DecoderStreamInfo.TryParse(line, out var info));

        Assert.Equal(1920, info.Width);
        Assert.Equal(1080, info.Height);
        Assert.Equal(29.97, info.FrameRate, 6);
    }

    [Fact]
    public void TryParse_NoFps_FallsBackToTbr()
    {
        const string line = "    Stream #0:0: Video: mjpeg (Baseline), yuvj422p(pc, bt470bg/unknown/unknown), 640x480, 30 tbr, 1000k tbn";

        Assert.True(DecoderStreamInfo.TryParse(line, out var info));

        Assert.Equal(new DecoderStreamInfo(640, 480, 30), info);
    }

    [Theory]
    [InlineData("  Stream #0:1(eng): Audio: aac (LC), 48000 Hz, stereo, fltp")]
    [InlineData("Input #0, matroska,webm, from 'a.mkv':")]
    [InlineData("  Duration: 00:00:01.20, start: 0.000000, bitrate: 15 kb/s")]
    public void TryParse_NotAVideoStreamLine_False(string line)
    {
        Assert.False(DecoderStreamInfo.TryParse(line, out _));
    }
}
