using System.Text;
using System.Text.RegularExpressions;

namespace EdgeSam2.Video;

/// <summary>
/// The decoder's own words for why it stopped, made fit for a status message: the line that says it (ffmpeg's last
/// word, or GStreamer's <c>ERROR:</c> line), without the <c>[component @ 0x…]</c> prefix, passwords in URLs hidden,
/// control characters replaced and cut to <see cref="MaxLength"/> characters.
/// </summary>
internal static partial class DecoderReason
{
    public const int MaxLength = 160;

    /// <summary>The most telling line of <paramref name="lines"/> (oldest first); empty when none says anything.</summary>
    public static string Summarise(IReadOnlyList<string> lines)
    {
        // GStreamer's first ERROR names the element and the cause; later ones are consequences ("doesn't want to preroll").
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith("ERROR:", StringComparison.Ordinal))
            {
                return Sanitise(lines[i]);
            }
        }

        for (var i = lines.Count - 1; i >= 0; i--)
        {
            if (!IsNoise(lines[i]))
            {
                return Sanitise(lines[i]);
            }
        }

        return "";
    }

    /// <summary>One line as it may appear in a message or a log: prefix stripped, secrets hidden, printable, bounded.</summary>
    public static string Sanitise(string line)
    {
        var text = ComponentPrefix().Replace(line, "");
        text = UrlPassword().Replace(text, "${head}***@");
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        var space = false;
        foreach (var c in text)
        {
            var printable = !char.IsControl(c) && !char.IsSurrogate(c) && c != '\uFFFD';
            if (!printable || char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
            if (builder.Length >= MaxLength)
            {
                builder.Append('…');
                break;
            }
        }

        return builder.ToString();
    }

    private static bool IsNoise(string line) =>
        line.Length == 0
        || line[0] == ' '
        || line.StartsWith("Conversion failed", StringComparison.Ordinal)
        || line.StartsWith("Exiting normally", StringComparison.Ordinal)
        || line.StartsWith("Input #", StringComparison.Ordinal)
        || line.StartsWith("Output #", StringComparison.Ordinal)
        || line.StartsWith("Stream mapping", StringComparison.Ordinal)
        || line.StartsWith("Press [q]", StringComparison.Ordinal)
        || line.StartsWith("frame=", StringComparison.Ordinal)
        || line.StartsWith("video:", StringComparison.Ordinal)
        || line.StartsWith("Setting pipeline", StringComparison.Ordinal)
        || line.StartsWith("Execution ended", StringComparison.Ordinal)
        || line.StartsWith("Freeing pipeline", StringComparison.Ordinal)
        || line.StartsWith("Additional debug info", StringComparison.Ordinal);

    [GeneratedRegex(@"^\[[^\]]*@ ?(0x)?[0-9a-fA-F]+\] ")]
    private static partial Regex ComponentPrefix();

    // To the last '@' of the URL (which ends at whitespace or a quote): a password typed with a raw '/' or '@' is hidden whole.
    [GeneratedRegex(@"(?<head>[A-Za-z][A-Za-z0-9+.-]*://[^/:@\s'""]*:)[^\s'""]*@")]
    private static partial Regex UrlPassword();
}
