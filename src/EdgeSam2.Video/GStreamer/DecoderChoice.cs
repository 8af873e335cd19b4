using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeSam2.Video;

/// <summary>
/// What <see cref="VideoDecoder.Auto"/> stands for on one source. A setting that only one decoder takes decides it;
/// otherwise a plain <c>rtsp://</c> camera goes to GStreamer where it is installed, since its depayloader ends a frame at
/// the RTP marker bit while ffmpeg's parser waits for the next frame to start (a frame period, measured by the bench),
/// and everything else to ffmpeg. <c>rtsps://</c> stays with ffmpeg: GStreamer checks the camera's TLS certificate,
/// which cameras rarely have signed, and ffmpeg does not.
/// </summary>
public static class DecoderChoice
{
    // Every element the RTSP pipeline uses (GStreamerArguments): GStreamer's RTSP client, the H.264 and H.265
    // depayloaders, parsers and libavcodec's decoders for them, and the tail's conversion, framing and sink. Checked
    // once per gst-launch path and process; a check that timed out (a cold plugin registry) is made again 5 minutes on.
    private static readonly string[] RtspElements =
    [
        "rtspsrc", "rtph264depay", "rtph265depay", "h264parse", "h265parse", "avdec_h264", "avdec_h265",
        "videoconvert", "videoscale", "gdppay", "fdsink",
    ];

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RecheckAfterTimeout = TimeSpan.FromMinutes(5);
    private static readonly ConcurrentDictionary<string, Lazy<bool?>> Installed = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, long> RecheckAt = new(StringComparer.Ordinal); // Environment.TickCount64

    /// <summary>The decoder to run and why, in words for the log.</summary>
    /// <param name="options">The source; a <see cref="VideoSourceOptions.Decoder"/> other than Auto is kept.</param>
    /// <param name="gstreamerPlaysRtsp">Whether GStreamer can play an RTSP camera here (asked only when that decides).</param>
    public static (VideoDecoder Decoder, string Why) Resolve(VideoSourceOptions options, Func<bool> gstreamerPlaysRtsp)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gstreamerPlaysRtsp);
        if (options.Decoder != VideoDecoder.Auto)
        {
            return (options.Decoder, "configured");
        }

        if (options.Hardware == HardwareDecoding.Jetson || options.GStreamerPipeline.Length > 0)
        {
            return (VideoDecoder.GStreamer, options.GStreamerPipeline.Length > 0 ? "GStreamerPipeline is set" : "Hardware is Jetson");
        }

        if (options.Hardware == HardwareDecoding.Nvdec || options.DecoderThreads > 0 || options.DecoderThreading != DecoderThreading.Auto || options.InputFormat.Length > 0)
        {
            return (VideoDecoder.Ffmpeg, "an ffmpeg setting is set (Hardware Nvdec, DecoderThreads, DecoderThreading or InputFormat)");
        }

        if (!options.Url.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase))
        {
            return (VideoDecoder.Ffmpeg, "not an rtsp:// camera");
        }

        if (!GStreamerArguments.RowsUnpadded(options.OutputWidth))
        {
            return (VideoDecoder.Ffmpeg, $"GStreamer pads each RGB row to 4 bytes, and rows {options.OutputWidth} pixels wide would be padded");
        }

        return gstreamerPlaysRtsp()
            ? (VideoDecoder.GStreamer, "an rtsp:// camera: GStreamer hands each frame on at its RTP marker bit, a frame period before ffmpeg")
            : (VideoDecoder.Ffmpeg, $"an rtsp:// camera, but GStreamer lacks some of {string.Join(", ", RtspElements)} here (Debian: gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav); with them each frame would come a frame period sooner");
    }

    /// <summary>
    /// True when gst-launch at <paramref name="gstLaunchPath"/> runs and GStreamer has every element the RTSP pipeline
    /// needs (<c>gst-inspect-1.0 --exists</c>, beside it). Checked once per path and process.
    /// </summary>
    public static bool GStreamerPlaysRtsp(string gstLaunchPath)
    {
        if (RecheckAt.TryGetValue(gstLaunchPath, out var at))
        {
            if (Environment.TickCount64 < at)
            {
                return false; // timed out lately: every camera start would wait for it again
            }

            RecheckAt.TryRemove(gstLaunchPath, out _);
        }

        var check = Installed.GetOrAdd(gstLaunchPath, static path => new Lazy<bool?>(() => Check(path)));
        if (check.Value is { } known)
        {
            return known;
        }

        Installed.TryRemove(KeyValuePair.Create(gstLaunchPath, check));
        RecheckAt[gstLaunchPath] = Environment.TickCount64 + (long)RecheckAfterTimeout.TotalMilliseconds;
        return false;
    }

    // True or false as the tools answered; null when one of them did not answer in time.
    private static bool? Check(string gstLaunchPath)
    {
        var folder = Path.GetDirectoryName(gstLaunchPath);
        var inspect = string.IsNullOrEmpty(folder) ? "gst-inspect-1.0" : Path.Combine(folder, "gst-inspect-1.0");
        if (Runs(gstLaunchPath, "--version") is not true and var launch)
        {
            return launch;
        }

        foreach (var element in RtspElements)
        {
            if (Runs(inspect, "--exists", element) is not true and var found)
            {
                return found;
            }
        }

        return true;
    }

    // Whether the command exited 0; null when it did not end within CheckTimeout.
    private static bool? Runs(string executable, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return false;
            }

            process.StandardInput.Close();
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            try
            {
                if (!process.WaitForExit(CheckTimeout))
                {
                    process.Kill(entireProcessTree: true);
                    return null;
                }

                return process.ExitCode == 0;
            }
            finally
            {
                // Process.Dispose leaves the redirected streams open.
                process.StandardOutput.Dispose();
                process.StandardError.Dispose();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}
