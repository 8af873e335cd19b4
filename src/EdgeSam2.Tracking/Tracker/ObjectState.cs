namespace EdgeSam2.Tracking.Tracker;

/// <summary>An object's track state (ARCHITECTURE.md): tracking → occluded → lost → removed.</summary>
public enum ObjectState
{
    /// <summary>Visible this frame.</summary>
    Tracking,

    /// <summary>Not visible; its predicted box is still published.</summary>
    Occluded,

    /// <summary>Not visible for longer than <see cref="TrackerOptions.LostAfter"/>; still searched for.</summary>
    Lost,

    /// <summary>Dropped: after <see cref="TrackerOptions.RemoveAfter"/> lost, or on command.</summary>
    Removed,
}

/// <summary>Kinds of track events (MQTT-API.md).</summary>
public enum TrackEventKind
{
    /// <summary>A prompt created the object.</summary>
    Created,

    /// <summary>The object stopped being visible.</summary>
    Occluded,

    /// <summary>Visible again after <see cref="Occluded"/>.</summary>
    Reappeared,

    /// <summary>Occluded for longer than the lost time-out.</summary>
    Lost,

    /// <summary>Visible again after <see cref="Lost"/>, under the same id.</summary>
    Recovered,

    /// <summary>The object was dropped.</summary>
    Removed,

    /// <summary>A prompt refined an existing object.</summary>
    PromptApplied,
}

/// <summary>A state change of one object on one frame.</summary>
public readonly record struct TrackEvent(TrackEventKind Kind, int ObjectId, long FrameIndex, DateTimeOffset Time);
