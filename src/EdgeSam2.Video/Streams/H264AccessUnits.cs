namespace EdgeSam2.Video;

/// <summary>
/// Access units in an H.264 Annex B byte stream that carries an access unit delimiter (NAL type 9) before each picture,
/// as x264 writes with <c>aud=1</c> and ffmpeg's <c>h264_metadata=aud=insert</c> adds: one unit a frame, so a stream can
/// be sent a frame at a time, as a camera sends it.
/// </summary>
public static class H264AccessUnits
{
    /// <summary>
    /// Where each access unit starts: the first at 0 (with whatever precedes the first delimiter), then at each later
    /// delimiter's start code (the 4-byte form's leading zero included). Ends with <paramref name="stream"/>'s length, so
    /// unit k is <c>[starts[k], starts[k + 1])</c> and the count of units is one less than the count returned.
    /// </summary>
    public static List<int> Boundaries(ReadOnlySpan<byte> stream)
    {
        var boundaries = new List<int> { 0 };
        ReadOnlySpan<byte> startCode = [0, 0, 1];
        var from = 0;
        while (true)
        {
            var found = stream[from..].IndexOf(startCode);
            if (found < 0)
            {
                break;
            }

            var at = from + found;
            var header = at + startCode.Length;
            if (header < stream.Length && (stream[header] & 0x1F) == 9)
            {
                var start = at > 0 && stream[at - 1] == 0 ? at - 1 : at;
                if (start > 0)
                {
                    boundaries.Add(start);
                }
            }

            from = header;
        }

        boundaries.Add(stream.Length);
        return boundaries;
    }
}
