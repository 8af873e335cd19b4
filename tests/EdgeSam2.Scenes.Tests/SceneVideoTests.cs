using System.Diagnostics;
using System.Text.Json;

namespace EdgeSam2.Scenes.Tests;

public sealed class SceneVideoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgesam2-scenes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task WriteAsync_DecodedWithRealFfmpeg_FramesAreByteIdentical()
    {
        var spec = StandardScenes.OccludedTarget() with { FrameCount = 12 };
        var path = Path.Combine(_dir, "occluded.mkv");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await SceneVideo.WriteAsync(spec, path, timeout.Token);
        var decoded = await DecodeAsync(path, timeout.Token);

        var renderer = new SceneRenderer(spec);
        Assert.Equal(spec.FrameCount * spec.FrameByteCount, decoded.Length);
        for (var f = 0; f < spec.FrameCount; f++)
        {
            var expected = renderer.RenderFrame(f);
            Assert.True(expected.AsSpan().SequenceEqual(decoded.AsSpan(f * spec.FrameByteCount, spec.FrameByteCount)), $"frame {f} differs");
        }
    }

    [Fact]
    public async Task WriteAsync_H264_EveryFrameDecodesCloseToTheRenderedOne()
    {
        var spec = StandardScenes.OccludedTarget() with { FrameCount = 12 };
        var path = Path.Combine(_dir, "occluded.mp4");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await SceneVideo.WriteAsync(spec, path, SceneVideoCodec.H264, "ffmpeg", timeout.Token);
        var decoded = await DecodeAsync(path, timeout.Token);

        // An MP4 holding H.264 names its sample format avc1.
        Assert.True((await File.ReadAllBytesAsync(path, timeout.Token)).AsSpan().IndexOf("avc1"u8) >= 0, "the file holds no H.264 stream");

        // Lossy: every frame is there, in order, and on average within a few levels of what was rendered.
        var renderer = new SceneRenderer(spec);
        Assert.Equal(spec.FrameCount * spec.FrameByteCount, decoded.Length);
        for (var f = 0; f < spec.FrameCount; f++)
        {
            var expected = renderer.RenderFrame(f);
            long error = 0;
            for (var i = 0; i < expected.Length; i++)
            {
                error += Math.Abs(expected[i] - decoded[(f * spec.FrameByteCount) + i]);
            }

            Assert.True(error / (double)expected.Length < 6, $"frame {f}: mean absolute error {error / (double)expected.Length:0.00}");
        }
    }

    [Fact]
    public async Task WriteAsync_H264Stream_RawAnnexB_ADelimiterBeforeEachFrame()
    {
        var spec = StandardScenes.OccludedTarget() with { FrameCount = 12 };
        var path = Path.Combine(_dir, "occluded.h264");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await SceneVideo.WriteAsync(spec, path, SceneVideoCodec.H264Stream, "ffmpeg", timeout.Token);
        var stream = await File.ReadAllBytesAsync(path, timeout.Token);
        var decoded = await DecodeAsync(path, timeout.Token);

        // No container: the bytes start with a start code and a delimiter NAL (type 9), and there is one delimiter a frame.
        Assert.True(stream.AsSpan().StartsWith((byte[])[0, 0, 0, 1, 9]), "the stream does not start with an access unit delimiter");
        var delimiters = 0;
        for (var rest = stream.AsSpan(); rest.IndexOf((byte[])[0, 0, 0, 1, 9]) is var at and >= 0; rest = rest[(at + 5)..])
        {
            delimiters++;
        }

        Assert.Equal(spec.FrameCount, delimiters);
        Assert.Equal(spec.FrameCount * spec.FrameByteCount, decoded.Length);
    }

    [Fact]
    public async Task WriteAsync_FfmpegRejectsArguments_ThrowsWithItsMessage()
    {
        var spec = StandardScenes.OccludedTarget() with { FrameCount = 2 };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => SceneVideo.WriteAsync(spec, Path.Combine(_dir, "missing-dir", "x.mkv"), timeout.Token));
        Assert.Contains("ffmpeg exited", error.Message);
    }

    [Fact]
    public async Task WriteJsonAsync_OccludedTarget_RecordsHiddenFramesAndAreas()
    {
        var spec = StandardScenes.OccludedTarget();
        var path = Path.Combine(_dir, "gt.json");
        await SceneGroundTruth.WriteJsonAsync(spec, path, CancellationToken.None);

        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(path));
        var frames = doc.RootElement.GetProperty("frames");
        Assert.Equal(spec.FrameCount, frames.GetArrayLength());
        var renderer = new SceneRenderer(spec);
        foreach (var frame in frames.EnumerateArray())
        {
            var f = frame.GetProperty("frame").GetInt32();
            var o = frame.GetProperty("objects")[0];
            Assert.Equal(renderer.VisibleArea(f, 1), o.GetProperty("visibleArea").GetInt32());
            Assert.Equal(renderer.FullArea(f, 1), o.GetProperty("fullArea").GetInt32());
            Assert.Equal(renderer.VisibleBox(f, 1) is null, o.GetProperty("bbox").ValueKind == JsonValueKind.Null);
        }
    }

    private static async Task<byte[]> DecodeAsync(string path, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-hide_banner", "-loglevel", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, await stderr);
        return output.ToArray();
    }
}
