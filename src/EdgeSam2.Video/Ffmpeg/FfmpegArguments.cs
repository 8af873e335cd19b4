using System.Globalization;

namespace EdgeSam2.Video;

/// <summary>The ffmpeg command line for one source: input options by kind of URL, then raw RGB at the model's size on stdout.</summary>
internal static class FfmpegArguments
{
    public static IReadOnlyList<string> Build(VideoSourceOptions options)
    {
        // info level so the input's stream line (source size, rate) is printed; -nostats keeps stderr quiet per frame.
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info" };
        switch (VideoUrl.Classify(options.Url))
        {
            case VideoUrlKind.File when options.Mode == SourceMode.Live:
                arguments.Add("-re");
                if (options.Loop)
                {
                    arguments.AddRange(["-stream_loop", "-1"]);
                }

                break;
            case VideoUrlKind.Rtsp:
                // UDP loses packets under load and through NAT; TCP interleaving is what cameras handle reliably.
                arguments.AddRange(["-rtsp_transport", "tcp"]);
                break;
            case VideoUrlKind.V4l2:
                arguments.AddRange(["-f", "v4l2"]);
                break;
        }

        arguments.AddRange(options.InputArguments);
        arguments.AddRange(["-i", options.Url]);

        var scale = string.Create(CultureInfo.InvariantCulture, $"scale={options.OutputWidth}:{options.OutputHeight}:flags=bilinear");
        arguments.AddRange(
        [
            "-an", "-sn", "-dn",
            "-vf", scale,
            "-sws_flags", "bilinear",
            // Every decoded frame exactly once: no duplicates or drops from ffmpeg's frame-rate logic, so a file's
            // frame number is our sequence number.
            "-fps_mode", "passthrough",
            "-pix_fmt", "rgb24",
            "-f", "rawvideo",
            "pipe:1",
        ]);
        return arguments;
    }
}
