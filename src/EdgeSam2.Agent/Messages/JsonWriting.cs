using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeSam2.Agent.Messages;

/// <summary>Shared pieces of the outgoing JSON: writer options and the timestamp format.</summary>
internal static class JsonWriting
{
    // COCO RLE strings use '<', '>', '`' and '\\'; the relaxed encoder escapes only what JSON requires.
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    /// <summary>Writes <paramref name="time"/> as UTC ISO 8601 with milliseconds, e.g. 2026-11-22T03:00:01.200Z.</summary>
    public static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset time)
    {
        Span<byte> buffer = stackalloc byte[32];
        time.UtcDateTime.TryFormat(buffer, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString(name, buffer[..written]);
    }

    /// <summary>A number rounded to <paramref name="decimals"/> places: enough for pixels and scores, and short.</summary>
    public static void WriteRounded(Utf8JsonWriter writer, string name, double value, int decimals) =>
        writer.WriteNumber(name, double.IsFinite(value) ? Math.Round(value, decimals) : 0);

    public static void WriteRoundedValue(Utf8JsonWriter writer, double value, int decimals) =>
        writer.WriteNumberValue(double.IsFinite(value) ? Math.Round(value, decimals) : 0);

    /// <summary>Runs <paramref name="write"/> on a fresh writer and returns the bytes (for rare messages: events, replies, status).</summary>
    public static byte[] Build<T>(T state, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer, state);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
