using EdgeSam2.Tracking.Memory;

namespace EdgeSam2.Tracking.Tracker;

/// <summary>One object on a camera: its memory bank, its track state and its motion.</summary>
internal sealed class TrackedObject
{
    private DateTimeOffset _hiddenSince;

    public TrackedObject(int id, string? label, ObjectMemory memory)
    {
        Id = id;
        Label = label;
        Memory = memory;
    }

    public int Id { get; }

    public string? Label { get; set; }

    public ObjectMemory Memory { get; }

    public ObjectState State { get; private set; } = ObjectState.Tracking;

    public MotionTrack Motion { get; } = new();

    /// <summary>Tracked frames in a row on which the object was absent (0 while present).</summary>
    public int AbsentFrames { get; set; }

    /// <summary>Recent peak box area (low-res cells) of the object's written masks; 0 until one is seen.</summary>
    public float ReferenceArea { get; set; }

    /// <summary>
    /// The object's remembered size: peak box area (low-res cells) of its written masks, decaying only 1 % a written
    /// frame, so it outlasts a slow occlusion (masks are not written while only a sliver shows) but follows an object
    /// that moves away. 0 until one is seen.
    /// </summary>
    public float RememberedArea { get; set; }

    /// <summary>True when this frame's mask was kept out of memory as a jump.</summary>
    public bool MaskRejected { get; set; }

    /// <summary>True when the object's last tracked or prompted frame was written to memory.</summary>
    public bool LastFrameWritten { get; set; }

    /// <summary>Frame of the last memory write (prompt or tracked frame).</summary>
    public long LastMemoryWrite { get; set; }

    /// <summary>Frame on which a prompt already ran this object's decoder (it skips the tracking step).</summary>
    public long PromptedFrame { get; set; } = -1;

    /// <summary>Advances the state machine with this frame's visibility and records the events it causes.</summary>
    public void Observe(bool visible, long frame, DateTimeOffset time, TrackerOptions options, List<TrackEvent> events)
    {
        switch (State)
        {
            case ObjectState.Tracking when !visible:
                State = ObjectState.Occluded;
                _hiddenSince = time;
                events.Add(new TrackEvent(TrackEventKind.Occluded, Id, frame, time));
                break;
            case ObjectState.Occluded when visible:
                State = ObjectState.Tracking;
                events.Add(new TrackEvent(TrackEventKind.Reappeared, Id, frame, time));
                break;
            case ObjectState.Occluded when time - _hiddenSince >= options.LostAfter:
                State = ObjectState.Lost;
                events.Add(new TrackEvent(TrackEventKind.Lost, Id, frame, time));
                break;
            case ObjectState.Lost when visible:
                State = ObjectState.Tracking;
                events.Add(new TrackEvent(TrackEventKind.Recovered, Id, frame, time));
                break;
            case ObjectState.Lost when time - _hiddenSince >= options.LostAfter + options.RemoveAfter:
                Remove(frame, time, events);
                break;
        }
    }

    public void Remove(long frame, DateTimeOffset time, List<TrackEvent> events)
    {
        State = ObjectState.Removed;
        events.Add(new TrackEvent(TrackEventKind.Removed, Id, frame, time));
    }
}
