using System.Text.Json;

namespace EdgeSam2.Agent.Messages;

/// <summary>The one reply every command gets (Messages/README.md, "reply").</summary>
internal sealed record CommandReply(string? RequestId, bool Ok, string? Error = null, string? Field = null)
{
    /// <summary>The object the command created, refined or removed.</summary>
    public int? ObjectId { get; init; }

    /// <summary>The objects a remove-all dropped.</summary>
    public IReadOnlyList<int>? ObjectIds { get; init; }

    /// <summary>The frame the command was applied to (or refused on).</summary>
    public long? Frame { get; init; }

    /// <summary>A snapshot's frame capture time (capture).</summary>
    public DateTimeOffset? CaptureTime { get; init; }

    /// <summary>The command waited for a frame that did not come in time: status <c>expired</c> (with error and field).</summary>
    public bool Expired { get; init; }

    /// <summary>Whether the camera is enabled after a <c>set</c>.</summary>
    public bool? Enabled { get; init; }

    public static CommandReply Fail(string? requestId, CommandError error) => new(requestId, false, error.Message, error.Field);

    public byte[] ToJson() => JsonWriting.Build(this, static (w, r) => r.Write(w));

    private void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        if (RequestId is null)
        {
            w.WriteNull("request_id");
        }
        else
        {
            w.WriteString("request_id", RequestId);
        }

        w.WriteString("status", Ok ? "ok" : Expired ? "expired" : "error");
        if (ObjectId is { } id)
        {
            w.WriteNumber("object_id", id);
        }

        if (ObjectIds is { } ids)
        {
            w.WriteStartArray("object_ids");
            foreach (var i in ids)
            {
                w.WriteNumberValue(i);
            }

            w.WriteEndArray();
        }

        if (Frame is { } frame)
        {
            w.WriteNumber("frame", frame);
        }

        if (CaptureTime is { } captured)
        {
            JsonWriting.WriteTime(w, "capture_time", captured);
        }

        if (Enabled is { } enabled)
        {
            w.WriteBoolean("enabled", enabled);
        }

        if (!Ok)
        {
            w.WriteString("error", Error);
            w.WriteString("field", Field);
        }

        w.WriteEndObject();
    }
}
