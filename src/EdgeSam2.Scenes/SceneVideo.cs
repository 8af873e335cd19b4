using System.Diagnostics;
using System.Globalization;

namespace EdgeSam2.Scenes;

/// <summary>
/// Writes a scene as a video through a real ffmpeg: lossless FFV1 by default, so decoded frames equal rendered ones;
/// or H.264, as a camera delivers it, for measurements where the decoder's cost should be a camera stream's.
/// </summary>
public static class SceneVideo
{
    /// <summary>Renders every frame of <paramref name="spec"/> into <paramref name="path"/> (Matroska, FFV1) with the ffmpeg on PATH.</summary>
    public static Task WriteAsync(SceneSpec spec, string path, CancellationToken cancellationToken) =>
        WriteAsync(spec, path, "ffmpeg", cancellationToken);

    /// <summary>Renders every frame of <paramref name="spec"/> into <paramref name="path"/> with the given ffmpeg executable.</summary>
    /// <exception cref="InvalidOperationException">ffmpeg failed; the message carries its error output.</exception>
    public static Task WriteAsync(SceneSpec spec, string path, string ffmpegPath, CancellationToken cancellationToken) =>
        WriteAsync(spec, path, SceneVideoCodec.Ffv1, ffmpegPath, cancellationToken);

    /// <summary>Renders every frame of <paramref name="spec"/> into <paramref name="path"/> with <paramref name="codec"/>.</summary>
    /// <exception cref="InvalidOperationException">ffmpeg failed; the message carries its error output.</exception>
    public static async Task WriteAsync(SceneSpec spec, string path, SceneVideoCodec codec, string ffmpegPath, CancellationToken cancellationToken)
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
            "-i", "pipe:0"])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in EncoderArguments(codec, spec.FramesPerSecond))
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add(path);

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

    // H.264 as IP cameras send it: 4:2:0, no B-frames (they add latency), a key frame every two seconds.
    private static string[] EncoderArguments(SceneVideoCodec codec, double framesPerSecond) => codec switch
    {
        SceneVideoCodec.Ffv1 => ["-c:v", "ffv1"],
        SceneVideoCodec.H264 =>
        [
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-bf", "0", "-pix_fmt", "yuv420p",
            "-g", Math.Max(1, (int)Math.Round(2 * framesPerSecond)).ToString(CultureInfo.InvariantCulture),
        ],
        SceneVideoCodec.H264Stream => [.. EncoderArguments(SceneVideoCodec.H264, framesPerSecond), "-x264-params", "aud=1", "-f", "h264"],
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "unknown codec"),
    };
}
