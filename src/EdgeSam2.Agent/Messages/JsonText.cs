using System.Text;
using System.Text.Json;

namespace EdgeSam2.Agent.Messages;

/// <summary>Reading strings from a <see cref="Utf8JsonReader"/> without the exceptions hostile text can cause.</summary>
internal static class JsonText
{
    public enum Outcome
    {
        Ok,
        WrongType,
        TooLong,

        /// <summary>Not Unicode text: a lone UTF-16 surrogate escape (<c>"\ud800"</c>) or invalid UTF-8.</summary>
        Invalid,
    }

    /// <summary>A JSON string of at most <paramref name="maxLength"/> characters.</summary>
    public static Outcome ReadString(ref Utf8JsonReader reader, int maxLength, out string? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return Outcome.WrongType;
        }

        // Every character takes at least one byte and at most six (\uXXXX): refuse huge strings before decoding them.
        var raw = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (raw > (long)maxLength * 6)
        {
            return Outcome.TooLong;
        }

        try
        {
            // GetString throws InvalidOperationException for a lone surrogate escape and for invalid UTF-8: both are
            // the sender's fault, so they become a value here.
            value = reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return Outcome.Invalid;
        }

        return value!.Length > maxLength ? Outcome.TooLong : Outcome.Ok;
    }

    /// <summary>A request id: a string, or a number kept as its text.</summary>
    public static Outcome ReadRequestId(ref Utf8JsonReader reader, int maxLength, out string? value)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            value = reader.ValueSpan.Length <= maxLength ? Encoding.UTF8.GetString(reader.ValueSpan) : null;
            return value is null ? Outcome.TooLong : Outcome.Ok;
        }

        return ReadString(ref reader, maxLength, out value);
    }
}
