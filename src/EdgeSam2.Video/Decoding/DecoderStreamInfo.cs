using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeSam2.Video;

/// <summary>The input stream as ffmpeg describes it on stderr; zeros when it did not say.</summary>
internal readonly record struct DecoderStreamInfo(int Width, int Height, double FrameRate)
{
    /// <summary>
    /// Reads an input stream line such as
    /// <c>Stream #0:0: Video: ffv1 (FFV1 / 0x31564646), bgr0(pc), 64x48, SAR 1:1 DAR 4:3, 25 fps, 25 tbr, 1k tbn</c>.
    /// </summary>
    public static bool TryParse(string line, out DecoderStreamInfo info)
    {
        info = default;
        if (!line.Contains("Stream #", StringComparison.Ordinal) || !line.Contains("Video:", StringComparison.Ordinal))
        {
            return false;
        }

        var size = StreamPatterns.Size().Match(line);
        if (!size.Success)
        {
            return false;
        }

        var rate = StreamPatterns.Fps().Match(line);
        if (!rate.Success)
        {
            rate = StreamPatterns.Tbr().Match(line);
        }

        info = new DecoderStreamInfo(
            int.Parse(size.Groups["w"].ValueSpan, CultureInfo.InvariantCulture),
            int.Parse(size.Groups["h"].ValueSpan, CultureInfo.InvariantCulture),
            rate.Success ? ParseRate(rate) : 0);
        return true;
    }

    private static double ParseRate(Match rate)
    {
        var value = double.Parse(rate.Groups["v"].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture);
        return rate.Groups["k"].Success && rate.Groups["k"].Length > 0 ? value * 1000 : value;
    }
}

internal static partial class StreamPatterns
{
    // The leading digit must be non-zero so codec tags such as 0x31564646 are not read as a size.
    [GeneratedRegex(@"[ ,](?<w>[1-9]\d{0,5})x(?<h>[1-9]\d{0,5})(?=[ ,\[]|$)")]
    public static partial Regex Size();

    [GeneratedRegex(@"[ ,](?<v>\d+(?:\.\d+)?)(?<k>k?) fps")]
    public static partial Regex Fps();

    [GeneratedRegex(@"[ ,](?<v>\d+(?:\.\d+)?)(?<k>k?) tbr")]
    public static partial Regex Tbr();
}
