using System.Buffers;
using System.Text.Json;
using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Messages;

/// <summary>
/// Writes one <c>{base}/{cam}/tracks</c> message into a buffer it reuses: a frame costs no allocation here. The
/// returned memory is valid until the next <see cref="Begin"/>. One instance per publisher loop; not thread-safe.
/// </summary>
internal sealed class TracksMessageWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _writer;

    public TracksMessageWriter() => _writer = new Utf8JsonWriter(_buffer, JsonWriting.Options);

    /// <summary>Starts a message; <paramref name="correction"/> makes it a <c>tracks/correction</c> message.</summary>
    public void Begin(string camera, TrackedFrame frame, double latencyMs, CaptureClock clock, TrackCorrection? correction = null)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var w = _writer;
        w.WriteStartObject();
        w.WriteString("camera", camera);
        w.WriteNumber("frame", frame.FrameIndex);
        JsonWriting.WriteTime(w, "capture_time", frame.CaptureTime);
        w.WriteString("capture_clock", ClockName(clock));
        JsonWriting.WriteRounded(w, "latency_ms", latencyMs, 1);
        w.WriteNumber("width", frame.Width);
        w.WriteNumber("height", frame.Height);
        if (correction is { } c)
        {
            w.WriteStartObject("correction");
            if (c.RequestId is null)
            {
                w.WriteNull("request_id");
            }
            else
            {
                w.WriteString("request_id", c.RequestId);
            }

            w.WriteNumber("object_id", c.ObjectId);
            w.WriteNumber("prompt_frame", c.PromptFrame);
            w.WriteNumber("live_frame", c.LiveFrame);
            w.WriteEndObject();
        }

        w.WriteStartArray("objects");
    }

    /// <summary>
    /// One object. Visible: <paramref name="stats"/> describe its full-frame mask and <paramref name="rleCounts"/>
    /// (empty when masks are off) is its COCO RLE. Hidden: the motion model's predicted box, area 0, no mask.
    /// </summary>
    public void WriteObject(ObjectObservation o, bool visible, in MaskStats stats, ReadOnlySpan<byte> rleCounts, int width, int height)
    {
        var w = _writer;
        w.WriteStartObject();
        w.WriteNumber("id", o.ObjectId);
        if (o.Label is null)
        {
            w.WriteNull("label");
        }
        else
        {
            w.WriteString("label", o.Label);
        }

        w.WriteString("state", StateName(o.State));
        JsonWriting.WriteRounded(w, "score", o.ObjectScore, 3);
        JsonWriting.WriteRounded(w, "iou", o.PredictedIou, 3);
        var m = o.Motion;
        w.WriteStartArray("bbox");
        if (visible)
        {
            w.WriteNumberValue(stats.Box.X1);
            w.WriteNumberValue(stats.Box.Y1);
            w.WriteNumberValue(stats.Box.X2);
            w.WriteNumberValue(stats.Box.Y2);
        }
        else
        {
            w.WriteNumberValue(Clamp(m.CenterX - (m.Width / 2), width));
            w.WriteNumberValue(Clamp(m.CenterY - (m.Height / 2), height));
            w.WriteNumberValue(Clamp(m.CenterX + (m.Width / 2), width));
            w.WriteNumberValue(Clamp(m.CenterY + (m.Height / 2), height));
        }

        w.WriteEndArray();
        w.WriteStartArray("centroid");
        JsonWriting.WriteRoundedValue(w, visible ? stats.CentroidX : m.CenterX, 2);
        JsonWriting.WriteRoundedValue(w, visible ? stats.CentroidY : m.CenterY, 2);
        w.WriteEndArray();
        w.WriteNumber("area", visible ? stats.Area : 0);
        w.WriteStartArray("velocity");
        JsonWriting.WriteRoundedValue(w, m.VelocityX, 2);
        JsonWriting.WriteRoundedValue(w, m.VelocityY, 2);
        w.WriteEndArray();
        WriteHealth(w, o);
        if (visible && !rleCounts.IsEmpty)
        {
            w.WriteStartObject("mask");
            w.WriteStartArray("size");
            w.WriteNumberValue(height);
            w.WriteNumberValue(width);
            w.WriteEndArray();
            w.WriteString("counts", rleCounts);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// What an operator needs to judge whether to trust the track: the presence probability (sigmoid of the score
    /// logit), how stale the object's memory is, how full its bank is, and whether this frame's mask was kept out of
    /// memory as a jump (the usual sign of a mask spreading onto a look-alike).
    /// </summary>
    private static void WriteHealth(Utf8JsonWriter w, ObjectObservation o)
    {
        w.WriteStartObject("health");
        JsonWriting.WriteRounded(w, "presence", Presence(o.ObjectScore), 3);
        w.WriteNumber("frames_since_memory_write", Math.Max(0, o.FramesSinceMemoryWrite));
        w.WriteNumber("memory_frames", o.MemoryFrames);
        w.WriteNumber("memory_capacity", o.MemoryCapacity);
        w.WriteBoolean("mask_rejected", o.MaskRejected);
        w.WriteEndObject();
    }

    /// <summary>The presence logit as a probability; SAM 2's −1024 placeholder for an absent object gives 0.</summary>
    public static double Presence(float score) => 1.0 / (1.0 + Math.Exp(-(double)score));

    public ReadOnlyMemory<byte> End()
    {
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }

    public static string ClockName(CaptureClock clock) => clock switch
    {
        CaptureClock.Pts => "pts",
        CaptureClock.FrameRate => "frame_rate",
        _ => "arrival",
    };

    public static string StateName(ObjectState state) => state switch
    {
        ObjectState.Tracking => "tracking",
        ObjectState.Occluded => "occluded",
        ObjectState.Lost => "lost",
        _ => "removed",
    };

    private static int Clamp(float v, int max) => float.IsFinite(v) ? Math.Clamp((int)MathF.Round(v), 0, max) : 0;
}

/// <summary>
/// What a <c>{base}/{cam}/tracks/correction</c> message corrects: the late prompt <paramref name="RequestId"/> created
/// object <paramref name="ObjectId"/> on frame <paramref name="PromptFrame"/>, and the object joined live tracking on
/// frame <paramref name="LiveFrame"/>; the message carries its mask on one frame in between (the prompt frame included).
/// </summary>
internal readonly record struct TrackCorrection(string? RequestId, int ObjectId, long PromptFrame, long LiveFrame);
