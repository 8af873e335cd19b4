using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EdgeSam2.Video.Tests;

/// <summary>The decoder's scale runs in the stream's own pixel format, and rgb24 at the output size comes out (real ffmpeg, its own negotiation log).</summary>
public sealed partial class DecoderFiltersTests
{
    [Theory]
    [InlineData("yuv420p", "yuv420p")] // H.264/H.265 cameras
    [InlineData("yuvj422p", "yuvj422p")] // MJPEG USB cameras
    [InlineData("yuyv422", "yuv422p")] // v4l2 YUYV
    [InlineData("nv12", "yuv420p")] // NVDEC's frames back in host memory
    [InlineData("yuv420p10le", "yuv420p")] // 10-bit streams
    [InlineData("bgr0", "gbrp")] // an RGB source (the demo's FFV1 scene) stays RGB
    public async Task Scale_StreamInFormat_ScaledInItsOwnKindThenRgb24AtTheOutputSize(string source, string scaledIn)
    {
        var start = new ProcessStartInfo("ffmpeg",
        [
            "-hide_banner", "-nostdin", "-loglevel", "verbose", "-f", "lavfi", "-i", $"testsrc2=s=64x48:r=5,format={source}", "-frames:v", "1",
            "-vf", DecoderFilters.Scale(32, 24), "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1",
        ])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        using var ffmpeg = Process.Start(start)!;
        using var pixels = new MemoryStream();
        var output = ffmpeg.StandardOutput.BaseStream.CopyToAsync(pixels);
        var log = await ffmpeg.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await output.WaitAsync(TimeSpan.FromSeconds(30));
        await ffmpeg.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, ffmpeg.ExitCode);
        Assert.Equal(32 * 24 * 3, pixels.Length);
        // "[Parsed_scale_0 …] w:64 h:48 fmt:yuv420p … -> w:32 h:24 fmt:yuv420p …" (ffmpeg 7 adds csp/range fields).
        var scale = ScaleLine().Match(log);
        Assert.True(scale.Success, log);
        Assert.Equal((source, scaledIn), (scale.Groups["from"].Value, scale.Groups["to"].Value));
    }

    [GeneratedRegex(@"Parsed_scale_0[^\n]*fmt:(?<from>\S+) [^\n]*-> w:32 h:24 fmt:(?<to>\S+)")]
    private static partial Regex ScaleLine();
}
