using System.Text.Json;

namespace EdgeSam2.Agent.Messages;

/// <summary>
/// One pass over a command's bytes before it is parsed: how deep it nests, and its top-level <c>request_id</c>.
/// It reads only brackets, quotes and escapes, so it works on text the parser refuses (<c>NaN</c>, a truncated
/// payload, nesting beyond the limit) and lets such a command's reply still carry the id its sender can match.
/// It allocates nothing but the id.
/// </summary>
internal static class JsonPrescan
{
    private static ReadOnlySpan<byte> RequestIdKey => "request_id"u8;

    /// <summary>Scans at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="json">The payload.</param>
    /// <param name="maxBytes">How far to look (a refused oversize payload is scanned only this far).</param>
    /// <param name="maxStringLength">Longest id returned; a longer one reads as absent.</param>
    /// <param name="depth">The deepest nesting seen (the top-level object is 1).</param>
    /// <returns>The request id (a string, or a number's text), or null when there is none or it cannot be read.</returns>
    public static string? Scan(ReadOnlySpan<byte> json, int maxBytes, int maxStringLength, out int depth)
    {
        if (json.Length > maxBytes)
        {
            json = json[..maxBytes];
        }

        string? requestId = null;
        var found = false;
        depth = 0;
        var level = 0;
        var keyExpected = false;
        var i = 0;
        while (i < json.Length)
        {
            var c = json[i];
            switch (c)
            {
                case (byte)'"':
                    var end = StringEnd(json, i);
                    if (end < 0)
                    {
                        return requestId;
                    }

                    if (level == 1 && keyExpected && !found && json[(i + 1)..end].SequenceEqual(RequestIdKey))
                    {
                        found = true;
                        requestId = ReadValue(json, end + 1, maxStringLength);
                    }

                    keyExpected = false;
                    i = end + 1;
                    continue;
                case (byte)'{':
                case (byte)'[':
                    level++;
                    depth = Math.Max(depth, level);
                    keyExpected = level == 1 && c == (byte)'{';
                    break;
                case (byte)'}':
                case (byte)']':
                    level--;
                    keyExpected = false;
                    break;
                case (byte)',':
                    keyExpected = level == 1;
                    break;
                case (byte)':' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                    break;
                default:
                    keyExpected = false;
                    break;
            }

            i++;
        }

        return requestId;
    }

    /// <summary>Index of the closing quote of the string opening at <paramref name="start"/>; -1 when unterminated.</summary>
    private static int StringEnd(ReadOnlySpan<byte> json, int start)
    {
        for (var i = start + 1; i < json.Length; i++)
        {
            if (json[i] == (byte)'\\')
            {
                i++;
            }
            else if (json[i] == (byte)'"')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The string or number after the colon that follows a key ending at <paramref name="from"/>.</summary>
    private static string? ReadValue(ReadOnlySpan<byte> json, int from, int maxStringLength)
    {
        var i = SkipSpace(json, from);
        if (i >= json.Length || json[i] != (byte)':')
        {
            return null;
        }

        i = SkipSpace(json, i + 1);
        if (i >= json.Length)
        {
            return null;
        }

        int end;
        if (json[i] == (byte)'"')
        {
            end = StringEnd(json, i);
            if (end < 0)
            {
                return null;
            }

            end++;
        }
        else
        {
            end = i;
            while (end < json.Length && json[end] is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E' or (>= (byte)'0' and <= (byte)'9'))
            {
                end++;
            }
        }

        // The value alone is a complete JSON text: let the real reader decide what it is.
        try
        {
            var reader = new Utf8JsonReader(json[i..end]);
            return reader.Read() ? JsonText.ReadRequestId(ref reader, maxStringLength, out var value) == JsonText.Outcome.Ok ? value : null : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int SkipSpace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }
}
