using System.Diagnostics;
using System.Globalization;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Models;

/// <summary>
/// The frames <c>models bench</c> tracks and the clicks that seed its objects on frame 0: either one synthetic
/// model-sized frame repeated (any model set, no video), or a scene video decoded as the agent's ffmpeg source decodes
/// it (squash-scaled to the model's input size, bilinear, RGB24, every frame once) with the clicks in the source's
/// pixels. With the scene, the floor's tracker sees what the agent's tracker sees, so whether a frame is written to
/// memory — and with it the memory encoder call and every later memory shape — is decided on the same pixels.
/// </summary>
internal sealed class BenchFrames
{
    private readonly byte[][] _frames;

    internal BenchFrames(byte[][] frames, int pixelSize, int sourceWidth, int sourceHeight, IReadOnlyList<(float X, float Y)> clicks)
    {
        ArgumentOutOfRangeException.ThrowIfZero(frames.Length);
        (_frames, PixelSize, SourceWidth, SourceHeight, Clicks) = (frames, pixelSize, sourceWidth, sourceHeight, clicks);
    }

    /// <summary>Side of the delivered (model-sized, square) frames.</summary>
    public int PixelSize { get; }

    /// <summary>Size of the source frame the clicks, boxes and masks are in.</summary>
    public int SourceWidth { get; }

    public int SourceHeight { get; }

    /// <summary>One positive click per object, on frame 0, in source pixels.</summary>
    public IReadOnlyList<(float X, float Y)> Clicks { get; }

    public int Count => _frames.Length;

    /// <summary>Frame <paramref name="index"/>; past the last frame the scene starts again, as a looping file does.</summary>
    public ReadOnlySpan<byte> Frame(long index) => _frames[index % _frames.Length];

    /// <summary>One model-sized frame with <paramref name="objects"/> discs, and a click at each disc's centre.</summary>
    public static BenchFrames Synthetic(int size, int objects)
    {
        var clicks = new (float X, float Y)[objects];
        for (var i = 0; i < objects; i++)
        {
            var (x, y) = SyntheticScene.Centre(size, objects, i);
            clicks[i] = (x, y);
        }

        return new BenchFrames([SyntheticScene.Frame(size, objects)], size, size, size, clicks);
    }

    /// <summary>
    /// Decodes the first <paramref name="maxFrames"/> frames of <paramref name="video"/> with ffmpeg, scaled to
    /// <paramref name="size"/>² with the agent's decoder filters (<see cref="DecoderFilters.Scale"/>, rgb24).
    /// </summary>
    /// <exception cref="BenchSceneException">ffmpeg cannot be started, fails, or delivers no frame.</exception>
    public static BenchFrames Decode(string video, int size, int sourceWidth, int sourceHeight, IReadOnlyList<(float X, float Y)> clicks, int maxFrames, string ffmpeg = "ffmpeg")
    {
        if (!File.Exists(video))
        {
            throw new BenchSceneException($"--scene: '{video}' does not exist");
        }

        var start = new ProcessStartInfo(ffmpeg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (ReadOnlySpan<string>)[
            "-hide_banner", "-nostdin", "-loglevel", "error", "-i", video, "-an", "-sn", "-dn",
            "-vf", DecoderFilters.Scale(size, size), "-sws_flags", "bilinear",
            "-fps_mode", "passthrough", "-frames:v", maxFrames.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"])
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BenchSceneException($"--scene: could not start {ffmpeg}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BenchSceneException($"--scene: could not start {ffmpeg}: {e.Message}");
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var frames = new List<byte[]>();
            var stdout = process.StandardOutput.BaseStream;
            while (frames.Count < maxFrames)
            {
                var frame = new byte[size * size * 3];
                if (stdout.ReadAtLeast(frame, frame.Length, throwOnEndOfStream: false) < frame.Length)
                {
                    break;
                }

                frames.Add(frame);
            }

            process.WaitForExit();
            if (frames.Count == 0)
            {
                throw new BenchSceneException($"--scene: {ffmpeg} decoded no frame of '{video}' (exit code {process.ExitCode}): {stderr.Result.Trim()}");
            }

            return new BenchFrames([.. frames], size, sourceWidth, sourceHeight, clicks);
        }
    }

    /// <summary>Parses <c>X,Y;X,Y;…</c> (source pixels, at least one click).</summary>
    public static bool TryParseClicks(string text, out (float X, float Y)[] clicks)
    {
        var parts = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        clicks = new (float X, float Y)[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var xy = parts[i].Split(',', StringSplitOptions.TrimEntries);
            if (xy.Length != 2
                || !float.TryParse(xy[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !float.IsFinite(x) || x < 0
                || !float.TryParse(xy[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var y) || !float.IsFinite(y) || y < 0)
            {
                return false;
            }

            clicks[i] = (x, y);
        }

        return parts.Length is > 0 and <= 64;
    }

    /// <summary>Parses <c>WxH</c> (each 1…16384).</summary>
    public static bool TryParseSize(string text, out int width, out int height)
    {
        var wh = text.Split('x');
        width = height = 0;
        return wh.Length == 2
            && int.TryParse(wh[0], NumberStyles.None, CultureInfo.InvariantCulture, out width) && width is > 0 and <= 16384
            && int.TryParse(wh[1], NumberStyles.None, CultureInfo.InvariantCulture, out height) && height is > 0 and <= 16384;
    }
}

/// <summary>The scene given to <c>models bench</c> cannot be used; the message names what is wrong.</summary>
internal sealed class BenchSceneException(string message) : Exception(message);
