using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace EdgeSam2.Video;

/// <summary>Reads a source's size and rate with ffprobe before anything is built around it.</summary>
public static class VideoProbe
{
    /// <summary>Probes <paramref name="url"/> with the ffprobe on PATH; the container's frame count when it states one.</summary>
    /// <exception cref="VideoProbeException">ffprobe failed; the message names the URL and carries ffprobe's reason.</exception>
    public static Task<VideoInfo> ProbeAsync(string url, CancellationToken cancellationToken) =>
        ProbeAsync(url, countFrames: false, "ffprobe", cancellationToken);

    /// <summary>
    /// Probes <paramref name="url"/>. With <paramref name="countFrames"/> ffprobe decodes the whole stream to count
    /// frames (exact, but as slow as decoding the file): for files whose container does not state a count.
    /// </summary>
    /// <exception cref="VideoProbeException">ffprobe failed; the message names the URL and carries ffprobe's reason.</exception>
    public static async Task<VideoInfo> ProbeAsync(string url, bool countFrames, string ffprobePath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentException.ThrowIfNullOrEmpty(ffprobePath);
        var startInfo = new ProcessStartInfo(ffprobePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in BuildArguments(url, countFrames))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new VideoProbeException(url, $"cannot start '{ffprobePath}': {e.Message}");
        }

        process.StandardInput.Close();
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            var errors = (await stderr.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                throw new VideoProbeException(url, errors.Length > 0 ? errors : $"ffprobe exited with code {process.ExitCode}");
            }

            return Parse(url, output);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            // Process.Dispose leaves the redirected streams open (their pipes would wait for the finaliser): a camera
            // that fails every probe would otherwise pile up two descriptors a try.
            process.StandardOutput.Dispose();
            process.StandardError.Dispose();
        }
    }

    private static List<string> BuildArguments(string url, bool countFrames)
    {
        var arguments = new List<string> { "-v", "error", "-print_format", "json", "-select_streams", "v:0", "-show_streams" };
        if (countFrames)
        {
            arguments.Add("-count_frames");
        }

        switch (VideoUrl.Classify(url))
        {
            case VideoUrlKind.Rtsp:
                // Half a second of probing, as the decoder's (FfmpegArguments), not ffprobe's default 5 s: a GStreamer
                // source waits for this probe's source size before each start.
                arguments.AddRange(["-rtsp_transport", "tcp", .. FfmpegArguments.LiveProbe]);
                break;
            case VideoUrlKind.Network:
                arguments.AddRange(FfmpegArguments.LiveProbe);
                break;
            case VideoUrlKind.V4l2:
                arguments.AddRange(["-f", "v4l2"]);
                break;
        }

        arguments.Add(url);
        return arguments;
    }

    private static VideoInfo Parse(string url, string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
        {
            throw new VideoProbeException(url, "no video stream");
        }

        var stream = streams[0];
        var width = stream.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
        var height = stream.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
        var rate = ParseRate(stream, "avg_frame_rate");
        if (rate <= 0)
        {
            rate = ParseRate(stream, "r_frame_rate");
        }

        var count = ParseCount(stream, "nb_read_frames") ?? ParseCount(stream, "nb_frames");
        var codec = stream.TryGetProperty("codec_name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() ?? "" : "";
        return new VideoInfo(width, height, rate, count, codec);
    }

    private static double ParseRate(JsonElement stream, string name)
    {
        if (!stream.TryGetProperty(name, out var value) || value.GetString() is not { } text)
        {
            return 0;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : 0;
        }

        return double.TryParse(text.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var numerator)
            && double.TryParse(text.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var denominator)
            && denominator > 0
            ? numerator / denominator
            : 0;
    }

    private static long? ParseCount(JsonElement stream, string name) =>
        stream.TryGetProperty(name, out var value)
        && value.GetString() is { } text
        && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            ? count
            : null;
}
