using System.Globalization;

namespace EdgeSam2.Video;

/// <summary>The ffmpeg command line for one source: input options by kind of URL, then raw RGB at the model's size on stdout.</summary>
internal static class FfmpegArguments
{
    /// <summary>Half a second (or 1 MB) of a network stream probed before its first frame, not ffmpeg's default 5 s.</summary>
    internal static readonly string[] LiveProbe = ["-analyzeduration", "500000", "-probesize", "1000000"];

    public static IReadOnlyList<string> Build(VideoSourceOptions options)
    {
        // info level so the input's stream line (source size, rate) and showinfo's per-frame PTS are printed;
        // -nostats keeps the progress line off stderr.
        // -filter_threads 0: the scaling keeps its automatic threads, which a simple filtergraph would otherwise take from
        // the output's -threads (1, below).
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-filter_threads", "0" };
        var timeout = Microseconds(options.NetworkTimeout);
        switch (VideoUrl.Classify(options.Url))
        {
            case VideoUrlKind.File when options.Mode == SourceMode.Live:
                // Real-time pacing. Looping is done by restarting ffmpeg at the end (not -stream_loop), so the source
                // knows exactly which frame starts each pass.
                arguments.Add("-re");
                break;
            case VideoUrlKind.Rtsp:
                // UDP loses packets under load and through NAT; TCP interleaving is what cameras handle reliably.
                // -timeout (µs) bounds connecting and every read, so a dead server ends ffmpeg instead of hanging it.
                // Cameras describe their stream in the SDP: half a second of probing is enough, where ffmpeg's default
                // 5 s would delay every (re)connect by seconds.
                arguments.AddRange(["-rtsp_transport", "tcp", "-timeout", timeout, .. LiveProbe]);
                break;
            case VideoUrlKind.Network:
                // As for RTSP: a stream without timestamps (raw H.264 over TCP, MJPEG over HTTP) is probed for ffmpeg's
                // default 5 s of it before the first frame comes out, since its rate is measured from its frames; a live
                // one arrives in real time, so that was 5 s before the first frame of every (re)connect.
                arguments.AddRange(["-rw_timeout", timeout, .. LiveProbe]);
                break;
            case VideoUrlKind.V4l2:
                arguments.AddRange(["-f", "v4l2"]);
                AddIfSet(arguments, "-input_format", options.V4l2PixelFormat);
                AddIfSet(arguments, "-video_size", options.V4l2Size);
                if (options.V4l2FrameRate > 0)
                {
                    arguments.AddRange(["-framerate", options.V4l2FrameRate.ToString(CultureInfo.InvariantCulture)]);
                }

                break;
        }

        if (options.Hardware == HardwareDecoding.Nvdec)
        {
            // NVDEC decodes; without -hwaccel_output_format the frames come back to host memory for scale and rgb24.
            arguments.AddRange(["-hwaccel", "cuda"]);
        }

        if (options.DecoderThreads > 0)
        {
            // As an input option it sets the decoder's threads (frame and slice threading), not the filters' or encoder's.
            arguments.AddRange(["-threads", options.DecoderThreads.ToString(CultureInfo.InvariantCulture)]);
        }

        // Frame threading hands a frame out only once (threads - 1) later frames have come in: with ffmpeg's automatic
        // thread count (cores + 1), 2 frames (80 ms at 25 fps) on a 2-core box and 8 (320 ms) on an 8-core Jetson, a
        // delay the capture clock cannot show, since it is anchored at the first frame out. Slice threading splits a
        // frame's slices across threads and holds none back (a one-slice stream, as most cameras send, decodes on one
        // thread). So Auto gives a Live source slice threading and leaves a Deterministic file ffmpeg's default, frame
        // threading's throughput; InputArguments come after this, so a -thread_type there wins.
        switch (options.DecoderThreading)
        {
            case DecoderThreading.Slice:
            case DecoderThreading.Auto when options.Mode == SourceMode.Live:
                arguments.AddRange(["-thread_type", "slice"]);
                break;
            case DecoderThreading.Frame:
                arguments.AddRange(["-thread_type", "frame+slice"]);
                break;
        }

        AddIfSet(arguments, "-f", options.InputFormat);
        arguments.AddRange(options.InputArguments);
        arguments.AddRange(["-i", options.Url]);

        // showinfo (after scaling, checksums off) prints each frame's number and PTS on stderr: the capture clock.
        var filters = DecoderFilters.Scale(options.OutputWidth, options.OutputHeight) + ",showinfo=checksum=0";
        arguments.AddRange(
        [
            "-an", "-sn", "-dn",
            "-vf", filters,
            "-sws_flags", "bilinear",
            // Every decoded frame exactly once: no duplicates or drops from ffmpeg's frame-rate logic, so a file's
            // frame number is our sequence number.
            "-fps_mode", "passthrough",
            "-pix_fmt", "rgb24",
            // The rawvideo "encoder" is frame-threaded: with ffmpeg's automatic thread count it hands a frame to the pipe
            // only when a later frame comes in (one frame on a 2-core box, at times two). Its work is a copy, so one
            // thread gives each frame out as it is decoded; the scaling keeps its threads (-filter_threads above).
            "-threads", "1",
            "-f", "rawvideo",
            "pipe:1",
        ]);
        return arguments;
    }

    private static void AddIfSet(List<string> arguments, string option, string value)
    {
        if (value.Length > 0)
        {
            arguments.AddRange([option, value]);
        }
    }

    private static string Microseconds(TimeSpan span) => ((long)span.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
}
