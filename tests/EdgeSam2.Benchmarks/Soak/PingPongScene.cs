using System.Diagnostics;
using System.Globalization;
using EdgeSam2.Scenes;

namespace EdgeSam2.Benchmarks.Soak;

/// <summary>
/// A scene played forwards then backwards (0…79…1), written lossless with ffmpeg: looped by the decoder, its targets
/// never jump, so the soak tracks the same objects for as long as it runs.
/// </summary>
internal static class PingPongScene
{
    public static async Task WriteAsync(SceneSpec spec, string path)
    {
        var renderer = new SceneRenderer(spec);
        var start = new ProcessStartInfo("ffmpeg")
        {
            ArgumentList =
            {
                "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
                "-s", $"{spec.Width}x{spec.Height}", "-r", spec.FramesPerSecond.ToString(CultureInfo.InvariantCulture),
                "-i", "-", "-c:v", "ffv1", path,
            },
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using var ffmpeg = Process.Start(start)!;
        var frame = new byte[spec.FrameByteCount];
        var stdin = ffmpeg.StandardInput.BaseStream;
        for (var i = 0; i < (2 * spec.FrameCount) - 2; i++)
        {
            renderer.RenderFrame(i < spec.FrameCount ? i : (2 * spec.FrameCount) - 2 - i, frame);
            await stdin.WriteAsync(frame).ConfigureAwait(false);
        }

        stdin.Close();
        await ffmpeg.WaitForExitAsync().ConfigureAwait(false);
        if (ffmpeg.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg exited with {ffmpeg.ExitCode} writing {path}");
        }
    }
}
