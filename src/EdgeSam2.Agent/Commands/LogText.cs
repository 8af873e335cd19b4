using System.Globalization;
using System.Text;

namespace EdgeSam2.Agent.Commands;

/// <summary>
/// Makes text an operator sent safe for a log line: control characters (ANSI escapes, NUL, newlines, C1 codes) and
/// lone surrogates become <c>\uXXXX</c>, and the text is cut to a bounded length, so a request id cannot rewrite the
/// terminal, forge a journal line or fill the journal.
/// </summary>
internal static class LogText
{
    public const int MaxLength = 120;

    public static string Escape(string? text)
    {
        if (text is null)
        {
            return "(none)";
        }

        var clean = true;
        for (var i = 0; i < text.Length && clean; i++)
        {
            clean = !NeedsEscape(text, i);
        }

        if (clean && text.Length <= MaxLength)
        {
            return text;
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength) + 16);
        for (var i = 0; i < text.Length && builder.Length < MaxLength; i++)
        {
            if (NeedsEscape(text, i))
            {
                builder.Append("\\u").Append(((int)text[i]).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(text[i]);
                if (char.IsHighSurrogate(text[i]))
                {
                    builder.Append(text[++i]); // a valid pair (NeedsEscape checked the low half)
                }
            }
        }

        if (builder.Length >= MaxLength && text.Length > 0)
        {
            builder.Append("…(").Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(" chars)");
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i == 0 || !char.IsHighSurrogate(text[i - 1]);
        }

        return c < 0x20 || c is >= '\u007f' and <= '\u009f' or '\u2028' or '\u2029';
    }
}
