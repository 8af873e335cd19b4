using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Messages;

/// <summary>Writes <c>{base}/{cam}/events</c> messages.</summary>
internal static class EventMessage
{
    public static string Name(TrackEventKind kind) => kind switch
    {
        TrackEventKind.Created => "created",
        TrackEventKind.Occluded => "occluded",
        TrackEventKind.Reappeared => "reappeared",
        TrackEventKind.Lost => "lost",
        TrackEventKind.Recovered => "recovered",
        TrackEventKind.Removed => "removed",
        TrackEventKind.PromptApplied => "prompt_applied",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>A camera-level event (no object): <c>looped</c>, a looping file started again on <paramref name="frame"/>.</summary>
    public static byte[] LoopedJson(string camera, long frame, DateTimeOffset time) => JsonWriting.Build((camera, frame, time), static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("camera", s.camera);
        w.WriteString("event", "looped");
        w.WriteNumber("frame", s.frame);
        JsonWriting.WriteTime(w, "time", s.time);
        w.WriteEndObject();
    });

    public static byte[] ToJson(string camera, TrackEvent e) => JsonWriting.Build((camera, e), static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("camera", s.camera);
        w.WriteString("event", Name(s.e.Kind));
        w.WriteNumber("object_id", s.e.ObjectId);
        w.WriteNumber("frame", s.e.FrameIndex);
        JsonWriting.WriteTime(w, "time", s.e.Time);
        w.WriteEndObject();
    });
}
