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
    string Provider,
    string? Reason = null,
    int ReconnectsLastHour = 0,
    int StallsLastHour = 0,
    string Quality = StatusMessage.Qualities.Idle)
{
    /// <summary>
    /// The connection-quality word: <c>good</c> streaming with no reconnect or stall in the last 10 minutes;
    /// <c>unstable</c> streaming, but it reconnected or stalled within them; <c>down</c> enabled and not streaming
    /// (connecting or stalled); <c>idle</c> not meant to stream (disabled or finished).
    /// </summary>
    public static class Qualities
    {
        public const string Good = "good";
        public const string Unstable = "unstable";
        public const string Down = "down";
        public const string Idle = "idle";

        /// <summary>How far back a reconnect or stall makes a streaming camera <c>unstable</c>.</summary>
        public static readonly TimeSpan Memory = TimeSpan.FromMinutes(10);
    }

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
        if (s.Reason is null)
        {
            w.WriteNull("reason");
        }
        else
        {
            w.WriteString("reason", s.Reason);
        }

        w.WriteString("quality", s.Quality);
        JsonWriting.WriteRounded(w, "fps", s.Fps, 2);
        w.WriteNumber("frames", s.Frames);
        w.WriteNumber("dropped", s.Dropped);
        w.WriteNumber("reconnects", s.Reconnects);
        w.WriteNumber("reconnects_last_hour", s.ReconnectsLastHour);
        w.WriteNumber("stalls_last_hour", s.StallsLastHour);
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
