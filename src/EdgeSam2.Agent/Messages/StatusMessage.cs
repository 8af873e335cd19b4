namespace EdgeSam2.Agent.Messages;

/// <summary>A camera's health, published retained on <c>{base}/{cam}/status</c>.</summary>
internal sealed record StatusMessage(
    string Camera,
    string State,
    double Fps,
    long Frames,
    long Dropped,
    long Reconnects,
    DateTimeOffset? LastFrameTime,
    int Objects,
    string Model,
    string Provider)
{
    /// <summary>The states a camera reports.</summary>
    public static class States
    {
        public const string Streaming = "streaming";
        public const string Connecting = "connecting";
        public const string Stalled = "stalled";
        public const string Disabled = "disabled";
        public const string Finished = "finished";
    }

    public byte[] ToJson() => JsonWriting.Build(this, static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("camera", s.Camera);
        w.WriteString("state", s.State);
        JsonWriting.WriteRounded(w, "fps", s.Fps, 2);
        w.WriteNumber("frames", s.Frames);
        w.WriteNumber("dropped", s.Dropped);
        w.WriteNumber("reconnects", s.Reconnects);
        if (s.LastFrameTime is { } last)
        {
            JsonWriting.WriteTime(w, "last_frame_time", last);
        }
        else
        {
            w.WriteNull("last_frame_time");
        }

        w.WriteNumber("objects", s.Objects);
        w.WriteString("model", s.Model);
        w.WriteString("provider", s.Provider);
        w.WriteEndObject();
    });

    /// <summary>The retained <c>{base}/{cam}/state</c> echo of a <c>set</c>.</summary>
    public static byte[] StateJson(bool enabled) => JsonWriting.Build(enabled, static (w, e) =>
    {
        w.WriteStartObject();
        w.WriteBoolean("enabled", e);
        w.WriteEndObject();
    });
}
