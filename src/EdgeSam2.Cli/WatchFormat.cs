using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Cli;

/// <summary>
/// One readable line per tracks, events or status message:
/// <c>cam1 frame 12 03:00:01.200  #1 red tracking [40,61,109,130] iou 0.97</c>. Text from the agent is shown with
/// control characters and lone surrogates replaced, so a label cannot drive the operator's terminal.
/// </summary>
internal static class WatchFormat
{
    public static string? Line(MqttMessage message)
    {
        var kind = message.Topic[(message.Topic.LastIndexOf('/') + 1)..];
        try
        {
            using var json = JsonDocument.Parse(message.Payload);
            var r = json.RootElement;
            var camera = Clean(Str(r, "camera"));
            return kind switch
            {
                "tracks" => Tracks(camera, r),
                "events" => $"{camera} event {Clean(Str(r, "event"))} #{Num(r, "object_id")} on frame {Num(r, "frame")}",
                "status" => $"{camera} status {Clean(Str(r, "state"))}, {Num(r, "fps")} fps, {Num(r, "frames")} frames, {Num(r, "dropped")} dropped, {Num(r, "objects")} objects",
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return $"{message.Topic}: unreadable {kind} message";
        }
    }

    private static string Tracks(string camera, JsonElement r)
    {
        var line = new StringBuilder();
        line.Append(camera).Append(" frame ").Append(Num(r, "frame"));
        if (r.TryGetProperty("capture_time", out var time) && time.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            line.Append(' ').Append(t.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture));
        }

        var any = false;
        foreach (var o in r.GetProperty("objects").EnumerateArray())
        {
            line.Append(any ? " |" : " ").Append(" #").Append(Num(o, "id"));
            if (Str(o, "label") is { Length: > 0 } label)
            {
                line.Append(' ').Append(Clean(label));
            }

            line.Append(' ').Append(Clean(Str(o, "state"))).Append(' ').Append(o.TryGetProperty("bbox", out var bbox) ? bbox.GetRawText() : "[]");
            line.Append(" iou ").Append(Num(o, "iou"));
            any = true;
        }

        return any ? line.ToString() : line.Append("  (no objects)").ToString();
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetRawText() : "?";

    private static string Clean(string? text)
    {
        if (text is null)
        {
            return "?";
        }

        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else
            {
                clean.Append(char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
            }
        }

        return clean.ToString();
    }
}
