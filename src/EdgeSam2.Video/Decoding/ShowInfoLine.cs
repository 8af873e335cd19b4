using System.Globalization;

namespace EdgeSam2.Video;

/// <summary>
/// ffmpeg's <c>showinfo</c> filter line for one frame:
/// <c>[Parsed_showinfo_2 @ 0x55…] n:   3 pts:    300 pts_time:0.3     pos: 2783 fmt:yuv420p …</c>.
/// The filter runs after scaling, so <c>n</c> counts the frames written to stdout from 0 in this process.
/// </summary>
internal static class ShowInfoLine
{
    /// <summary>True for every line the filter writes (the per-frame line and its continuation lines), on its bytes before it is decoded.</summary>
    public static bool IsShowInfo(ReadOnlySpan<byte> line) => line.IndexOf("Parsed_showinfo"u8) >= 0;

    /// <summary>
    /// The frame's number and presentation time in seconds (null when the frame has none): the integer PTS times
    /// <paramref name="timeBase"/> when known (exact), else <c>pts_time</c> (printed with 6 significant digits only).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> line, double timeBase, out long frame, out double? ptsSeconds)
    {
        frame = -1;
        ptsSeconds = null;
        var n = line.IndexOf("] n:", StringComparison.Ordinal);
        var pts = line.IndexOf(" pts:", StringComparison.Ordinal);
        var time = line.IndexOf("pts_time:", StringComparison.Ordinal);
        if (n < 0 || time < 0 || pts < 0)
        {
            return false;
        }

        if (!long.TryParse(Field(line[(n + 4)..]), NumberStyles.Integer, CultureInfo.InvariantCulture, out frame))
        {
            return false;
        }

        if (timeBase > 0 && long.TryParse(Field(line[(pts + 5)..]), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks))
        {
            ptsSeconds = ticks * timeBase;
        }
        else if (double.TryParse(Field(line[(time + 9)..]), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            ptsSeconds = seconds;
        }

        return true;
    }

    /// <summary>The filter's input time base, <c>config in time_base: 1/90000, frame_rate: 25/1</c>, in seconds per tick.</summary>
    public static bool TryParseTimeBase(ReadOnlySpan<char> line, out double secondsPerTick)
    {
        secondsPerTick = 0;
        var at = line.IndexOf("config in time_base:", StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        var value = Field(line[(at + 20)..]).TrimEnd(',');
        var slash = value.IndexOf('/');
        if (slash <= 0
            || !long.TryParse(value[..slash], NumberStyles.Integer, CultureInfo.InvariantCulture, out var num)
            || !long.TryParse(value[(slash + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var den)
            || num <= 0 || den <= 0)
        {
            return false;
        }

        secondsPerTick = (double)num / den;
        return true;
    }

    private static ReadOnlySpan<char> Field(ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart(' ');
        var end = rest.IndexOf(' ');
        return end < 0 ? rest : rest[..end];
    }
}
