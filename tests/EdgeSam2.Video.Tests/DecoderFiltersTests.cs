using System.Diagnostics;

namespace EdgeSam2.Video.Tests;

/// <summary>The decoder's scale runs in the stream's own pixel format (real ffmpeg, its own negotiation log).</summary>
public sealed class DecoderFiltersTests
{
    [Theory]
    [InlineData("yuv420p", "yuv420p")] // H.264/H.265 cameras
    [InlineData("yuvj422p", "yuvj422p")] // MJPEG USB cameras
    [InlineData("bgr0", "gbrp")] // an RGB source (the demo's FFV1 scene) stays RGB
    public async Task Scale_StreamInFormat_ScaledInItsOwnFormatThenRgb24(string source, string scaledIn)
    {
        var start = new ProcessStartInfo("ffmpeg",
        [
            "-hide_banner", "-nostdin", "-loglevel", "verbose", "-f", "lavfi", "-i", $"testsrc2=s=64x48:r=5,format={source}", "-frames:v", "1",
            "-vf", DecoderFilters.Scale(32, 32), "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1",
        ])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        using var ffmpeg = Process.Start(start)!;
        var output = ffmpeg.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var log = await ffmpeg.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await output.WaitAsync(TimeSpan.FromSeconds(30));
        await ffmpeg.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, ffmpeg.ExitCode);
        var scale = log.Split('\n').Single(l => l.Contains("Parsed_scale_0", StringComparison.Ordinal) && l.Contains("->", StringComparison.Ordinal));
        Assert.Contains($"fmt:{source} sar:1/1 -> w:32 h:32 fmt:{scaledIn} ", scale, StringComparison.Ordinal);
    }
}
