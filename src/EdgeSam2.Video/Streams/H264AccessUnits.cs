namespace EdgeSam2.Video;

/// <summary>
/// NAL units and access units in an H.264 Annex B byte stream. Access units are cut where the stream carries an access
/// unit delimiter (NAL type 9) before each picture, as x264 writes with <c>aud=1</c> and ffmpeg's
/// <c>h264_metadata=aud=insert</c> adds: one unit a frame, so a stream can be sent a frame at a time, as a camera sends it.
/// </summary>
public static class H264AccessUnits
{
    private const byte NalTypeMask = 0x1F;
    private const byte AccessUnitDelimiter = 9;

    /// <summary>
    /// Where each access unit starts: the first at 0 (with whatever precedes the first delimiter), then at each later
    /// delimiter's start code (the 4-byte form's leading zero included). Ends with <paramref name="stream"/>'s length, so
    /// unit k is <c>[starts[k], starts[k + 1])</c> and the count of units is one less than the count returned.
    /// </summary>
    public static List<int> Boundaries(ReadOnlySpan<byte> stream)
    {
        var boundaries = new List<int> { 0 };
        foreach (var (nal, _) in NalUnits(stream))
        {
            if ((stream[nal] & NalTypeMask) == AccessUnitDelimiter)
            {
                var start = nal - 3; // its 3-byte start code
                start = start > 0 && stream[start - 1] == 0 ? start - 1 : start;
                if (start > 0)
                {
                    boundaries.Add(start);
                }
            }
        }

        boundaries.Add(stream.Length);
        return boundaries;
    }

    /// <summary>
    /// Where each NAL unit lies, its start code (3 or 4 bytes) left out, and the zeros before the next start code
    /// (a 4-byte start code's first byte, trailing zeros) too: a NAL unit never ends in a zero byte.
    /// </summary>
    public static List<(int Start, int Length)> NalUnits(ReadOnlySpan<byte> stream)
    {
        ReadOnlySpan<byte> startCode = [0, 0, 1];
        var units = new List<(int, int)>();
        var found = stream.IndexOf(startCode);
        while (found >= 0)
        {
            var start = found + startCode.Length;
            var next = stream[start..].IndexOf(startCode);
            var end = next < 0 ? stream.Length : start + next;
            next = next < 0 ? -1 : start + next;
            while (end > start && stream[end - 1] == 0)
            {
                end--;
            }

            if (end > start)
            {
                units.Add((start, end - start));
            }

            found = next;
        }

        return units;
    }
}
