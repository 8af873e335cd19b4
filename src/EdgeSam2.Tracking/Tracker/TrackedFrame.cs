using System.Buffers;

namespace EdgeSam2.Tracking.Tracker;

/// <summary>One object's result on one frame.</summary>
public sealed class ObjectObservation
{
    internal ObjectObservation(int objectId, string? label, int lowResLength)
    {
        ObjectId = objectId;
        Label = label;
        LowResLogits = ArrayPool<float>.Shared.Rent(lowResLength);
    }

    /// <summary>The object's id on this camera.</summary>
    public int ObjectId { get; }

    /// <summary>The label its prompt gave, if any.</summary>
    public string? Label { get; }

    /// <summary>Track state after this frame.</summary>
    public ObjectState State { get; internal set; }

    /// <summary>The decoder's object-score logit: visible iff &gt; 0.</summary>
    public float ObjectScore { get; internal set; }

    /// <summary>The decoder's predicted IoU of the mask.</summary>
    public float PredictedIou { get; internal set; }

    /// <summary>True when the object is visible on this frame.</summary>
    public bool Visible => ObjectScore > 0;

    /// <summary>Frames since this object's memory was last written (0: written on this frame).</summary>
    public long FramesSinceMemoryWrite { get; internal set; }

    /// <summary>
    /// True when this frame's mask was kept out of memory because its box grew past
    /// <see cref="EdgeSam2.Tracking.Memory.MemoryOptions.MaxAreaGrowth"/> times the object's recent peak box (and beyond
    /// its remembered size) or, while another object claimed some of its pixels, its box when last alone (a mask
    /// spreading onto a look-alike); or because its box was under
    /// <see cref="EdgeSam2.Tracking.Memory.MemoryOptions.MinAreaShare"/> of the remembered size (a sliver at an occluder's edge).
    /// </summary>
    public bool MaskRejected { get; internal set; }

    /// <summary>Spatial memories the object's bank holds (conditioning, anchors and recent), after this frame.</summary>
    public int MemoryFrames { get; internal set; }

    /// <summary>
    /// With a multimask decoder, which of its candidates this mask is (0-based; chosen by predicted IoU, with motion once
    /// the object's motion is stable: <see cref="TrackerOptions.CandidateMotionWeight"/>); −1 with a single-mask decoder.
    /// </summary>
    public int Candidate { get; internal set; } = -1;

    /// <summary>Spatial memories the bank can hold: its conditioning entries, anchors and the model's recent slots.</summary>
    public int MemoryCapacity { get; internal set; }

    /// <summary>
    /// Low-resolution mask logits (L×L, row-major; the first L² values of a pooled array). Valid until the
    /// <see cref="TrackedFrame"/> is disposed.
    /// </summary>
    public float[] LowResLogits { get; }

    /// <summary>Box predicted by the motion model, frame pixels (kept while the object is hidden).</summary>
    public MotionEstimate Motion { get; internal set; }

    /// <summary>Where the motion model expected the object on this frame (frame pixels): decides contested pixels.</summary>
    internal Masks.OwnershipPrior Prior { get; set; }

    internal void Release() => ArrayPool<float>.Shared.Return(LowResLogits);
}

/// <summary>A motion model's box (centre and size, frame pixels) and velocity (pixels per second).</summary>
public readonly record struct MotionEstimate(float CenterX, float CenterY, float Width, float Height, float VelocityX, float VelocityY)
{
    /// <summary>True once the motion model has seen the object.</summary>
    public bool IsKnown => Width > 0 && Height > 0;
}

/// <summary>The tracker's result for one frame: owned by the caller, who disposes it to return its buffers.</summary>
public sealed class TrackedFrame : IDisposable
{
    private bool _disposed;

    internal TrackedFrame(long frameIndex, DateTimeOffset captureTime, int width, int height, int lowResSize)
    {
        FrameIndex = frameIndex;
        CaptureTime = captureTime;
        Width = width;
        Height = height;
        LowResSize = lowResSize;
    }

    /// <summary>Sequence number of the frame.</summary>
    public long FrameIndex { get; }

    /// <summary>When the frame was captured.</summary>
    public DateTimeOffset CaptureTime { get; }

    /// <summary>Frame width in pixels.</summary>
    public int Width { get; }

    /// <summary>Frame height in pixels.</summary>
    public int Height { get; }

    /// <summary>Side L of <see cref="ObjectObservation.LowResLogits"/>.</summary>
    public int LowResSize { get; }

    /// <summary>Every object that is not removed, in id order.</summary>
    public List<ObjectObservation> Objects { get; } = [];

    /// <summary>State changes on this frame.</summary>
    public List<TrackEvent> Events { get; } = [];

    /// <summary>Outcomes of the commands applied before this frame, in arrival order.</summary>
    public List<CommandOutcome> Outcomes { get; } = [];

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var o in Objects)
        {
            o.Release();
        }
    }
}
