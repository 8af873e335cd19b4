using System.Diagnostics;
using System.Globalization;

namespace EdgeSam2.Scenes;

/// <summary>Writes a scene as a lossless FFV1 video through a real ffmpeg, so decoded frames equal rendered ones.</summary>
public static class SceneVideo
{
    /// <summary>Renders every frame of <paramref name="spec"/> into <paramref name="path"/> (Matroska, FFV1) with the ffmpeg on PATH.</summary>
    public static Task WriteAsync(SceneSpec spec, string path, CancellationToken cancellationToken) =>
        WriteAsync(spec, path, "ffmpeg", cancellationToken);

    /// <summary>Renders every frame of <paramref name="spec"/> into <paramref name="path"/> with the given ffmpeg executable.</summary>
    /// <exception cref="InvalidOperationException">ffmpeg failed; the message carries its error output.</exception>
    public static async Task WriteAsync(SceneSpec spec, string path, string ffmpegPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var renderer = new SceneRenderer(spec);
        var start = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (ReadOnlySpan<string>)[
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24",
            "-s", string.Create(CultureInfo.InvariantCulture, $"{spec.Width}x{spec.Height}"),
            "-r", spec.FramesPerSecond.ToString("R", CultureInfo.InvariantCulture),
            "-i", "pipe:0", "-c:v", "ffv1", path])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {ffmpegPath}.");
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            var frame = new byte[spec.FrameByteCount];
            var stdin = process.StandardInput.BaseStream;
            for (var i = 0; i < spec.FrameCount; i++)
            {
                renderer.RenderFrame(i, frame);
                await stdin.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            }

            await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
            stdin.Close();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            if (e is OperationCanceledException)
            {
                throw;
            }
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg exited with {process.ExitCode} writing {path}: {errors.Trim()}");
        }
    }
}
