using System.Diagnostics;
using EdgeSam2.Demo.Render;
using EdgeSam2.Demo.Session;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Demo.Tests.Render;

public sealed class FfmpegOutputTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("edgesam2-demo-render-").FullName;

    [Fact]
    public async Task FfmpegRawEncoder_Png_DecodesToTheSameBytes()
    {
        const int width = 16, height = 8;
        var frame = new byte[width * height * 3];
        for (var i = 0; i < frame.Length; i++)
        {
            frame[i] = (byte)(i * 7);
        }

        var path = Path.Combine(_dir, "frame.png");
        await using (var encoder = FfmpegRawEncoder.Start(width, height, 1, ["-frames:v", "1", "-c:v", "png"], path))
        {
            await encoder.WriteFrameAsync(frame, CancellationToken.None);
            await encoder.CompleteAsync(CancellationToken.None).WaitAsync(Timeout);
        }

        Assert.Equal(frame, await DecodeAsync(path, frame.Length));
    }

    [Fact]
    public async Task FfmpegRawEncoder_BadCodec_CompleteThrowsWithFfmpegMessage()
    {
        await using var encoder = FfmpegRawEncoder.Start(4, 4, 1, ["-c:v", "no-such-codec"], Path.Combine(_dir, "x.mkv"));
        await encoder.WriteFrameAsync(new byte[48], CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => encoder.CompleteAsync(CancellationToken.None).WaitAsync(Timeout));

        Assert.Contains("no-such-codec", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteStripAsync_TwoFramesWithMasks_PngHasOverlayWhereMaskIsAndSceneElsewhere()
    {
        var scene = new SceneRenderer(StandardScenes.TwoTargets());
        var (width, height) = (scene.Spec.Width, scene.Spec.Height);
        var tracks = new Dictionary<long, TracksMessage> { [0] = WithTruth(scene, 0), [40] = WithTruth(scene, 40) };
        var outputs = new AnnotatedOutputs(new FrameAnnotator(scene), scene.Spec.FramesPerSecond);
        var path = Path.Combine(_dir, "strip.png");

        await outputs.WriteStripAsync([0, 40], tracks, 4, path, CancellationToken.None).WaitAsync(Timeout);

        var grid = new FrameGrid(width, height, 2, 4, 6, default);
        var png = await DecodeAsync(path, grid.ByteCount);
        var plain = scene.RenderFrame(40);
        var (left, top) = grid.Origin(1);
        var disc = scene.CentreOf(40, StandardScenes.Two.DiscId);
        var inside = Pixel(png, grid.Width, left + (int)disc.X, top + (int)disc.Y);
        var background = Pixel(png, grid.Width, left + 250, top + 370);
        var plainInside = Pixel(plain, width, (int)disc.X, (int)disc.Y);
        var overlay = ObjectPalette.For(StandardScenes.Two.DiscId);
        Assert.True(Math.Abs(inside.B - ((plainInside.B + overlay.B) / 2)) <= 2, $"the disc should be half {overlay} over {plainInside}, got {inside}");
        Assert.Equal(Pixel(plain, width, 250, 370), background);
    }

    [Fact]
    public async Task WriteVideoAsync_DetectedFormat_WritesEveryFrame()
    {
        var scene = new SceneRenderer(StandardScenes.TwoTargets() with { FrameCount = 5 });
        var tracks = new Dictionary<long, TracksMessage> { [1] = WithTruth(scene, 1) };
        var format = await VideoFormat.DetectAsync(CancellationToken.None).WaitAsync(Timeout);
        var path = Path.Combine(_dir, "annotated" + format.Extension);

        await new AnnotatedOutputs(new FrameAnnotator(scene), 10).WriteVideoAsync(5, tracks, format, path, CancellationToken.None).WaitAsync(Timeout);

        var decoded = await DecodeAsync(path, null);
        Assert.Equal(5 * scene.Spec.FrameByteCount, decoded.Length);
    }

    [Theory]
    [InlineData(" V....D libx264              libx264 H.264 / AVC", "libx264", true)]
    [InlineData(" V....D libx264rgb           libx264 H.264 RGB", "libx264", false)]
    [InlineData(" V.S... mpeg4                MPEG-4 part 2", "libx264", false)]
    public void HasEncoder_ListingLine_MatchesWholeName(string listing, string name, bool expected)
    {
        Assert.Equal(expected, VideoFormat.HasEncoder("Encoders:\n ------\n" + listing + "\n", name));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TracksMessage WithTruth(SceneRenderer scene, int frame)
    {
        var (width, height) = (scene.Spec.Width, scene.Spec.Height);
        var objects = new List<TrackedObjectMessage>();
        foreach (var o in scene.Spec.Objects)
        {
            var mask = new byte[width * height];
            scene.RenderVisibleMask(frame, o.Id, mask);
            var stats = MaskStats.Compute(mask, width, height);
            objects.Add(new TrackedObjectMessage(o.Id, null, "tracking", 1, 1, [stats.Box.X1, stats.Box.Y1, stats.Box.X2, stats.Box.Y2], null, stats.Area, null,
                new RleMask([height, width], CocoRle.Encode(mask, width, height))));
        }

        return new TracksMessage("demo", frame, null, 0, width, height, objects);
    }

    private static Rgb Pixel(byte[] rgb, int width, int x, int y)
    {
        var i = ((y * width) + x) * 3;
        return new Rgb(rgb[i], rgb[i + 1], rgb[i + 2]);
    }

    private static async Task<byte[]> DecodeAsync(string path, int? expectedLength)
    {
        using var process = Process.Start(new ProcessStartInfo("ffmpeg")
        {
            ArgumentList = { "-hide_banner", "-loglevel", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var bytes = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(bytes).WaitAsync(Timeout);
        await process.WaitForExitAsync().WaitAsync(Timeout);
        Assert.True(process.ExitCode == 0, await stderr);
        if (expectedLength is { } length)
        {
            Assert.Equal(length, bytes.Length);
        }

        return bytes.ToArray();
    }
}
