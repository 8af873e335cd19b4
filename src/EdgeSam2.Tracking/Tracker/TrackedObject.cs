using EdgeSam2.Tracking.Memory;

namespace EdgeSam2.Tracking.Tracker;

/// <summary>One object on a camera: its memory bank, its track state and its motion.</summary>
internal sealed class TrackedObject
{
    /// <summary>Most a remembered side shrinks in one written frame: 0.5 %, so 1 % in area.</summary>
    private const float MaxSizeDecay = 0.995f;

    private DateTimeOffset _hiddenSince;
    private float _rememberedWidth;
    private float _rememberedHeight;

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
    /// The object's remembered size (<see cref="RememberSize"/>): box area (low-res cells) of its written masks; 0 until
    /// one is seen.
    /// </summary>
    public float RememberedArea => _rememberedWidth * _rememberedHeight;

    /// <summary>True when this frame's mask was kept out of memory as a jump.</summary>
    public bool MaskRejected { get; set; }

    /// <summary>True when the object's last tracked or prompted frame was written to memory.</summary>
    public bool LastFrameWritten { get; set; }

    /// <summary>Frame of the last memory write (prompt or tracked frame).</summary>
    public long LastMemoryWrite { get; set; }

    /// <summary>Frame on which a prompt already ran this object's decoder (it skips the tracking step).</summary>
    public long PromptedFrame { get; set; } = -1;

    /// <summary>
    /// Takes a written mask's box (low-res cells) into the remembered size. Each side grows to the box's at once; both
    /// shrink together, by the object's scale — the ratio of whichever side shrank less — and by at most 0.5 % a side
    /// (1 % in area) a written frame. Why the side that shrank less: an object that moves away shrinks on both sides and
    /// is followed, but an occluder cuts it along one (a bar cuts its width), however slowly, and a remembered size that
    /// followed the cut part down to a sliver would let the sliver into memory (<see cref="MemoryOptions.MinAreaShare"/>).
    /// </summary>
    public void RememberSize(float width, float height)
    {
        var scale = _rememberedWidth > 0 && _rememberedHeight > 0 ? Math.Max(width / _rememberedWidth, height / _rememberedHeight) : 1f;
        var decay = Math.Clamp(scale, MaxSizeDecay, 1f);
        _rememberedWidth = Math.Max(width, decay * _rememberedWidth);
        _rememberedHeight = Math.Max(height, decay * _rememberedHeight);
    }

    /// <summary>Forgets the remembered size: the next written mask sets it (a prompt, or a cut in the video).</summary>
    public void ForgetSize() => (_rememberedWidth, _rememberedHeight) = (0, 0);

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
