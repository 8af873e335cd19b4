namespace EdgeSam2.Tracking.Tracker;

/// <summary>A click in frame pixels: positive (on the object) or negative (not the object).</summary>
public readonly record struct PromptPoint(float X, float Y, bool Positive);

/// <summary>A box in frame pixels, (X1,Y1) top-left and (X2,Y2) bottom-right.</summary>
public readonly record struct PromptBox(float X1, float Y1, float X2, float Y2);

/// <summary>
/// A mask prompt in frame pixels (SAM 2's <c>add_new_mask</c>), kept as its COCO compressed RLE <see cref="Counts"/>:
/// a prompt may wait for its frame, and its pixels (up to width × height bytes) are only decoded, into the tracker's
/// reusable buffer, when it is applied; so what a waiting prompt holds is bounded by the message it came in.
/// </summary>
/// <param name="Counts">COCO compressed RLE (see <see cref="Masks.CocoRle"/>) of a width × height mask.</param>
/// <param name="Width">Mask width: the frame's.</param>
/// <param name="Height">Mask height: the frame's.</param>
public sealed record PromptMask(string Counts, int Width, int Height)
{
    /// <summary>The prompt of a row-major width × height mask (non-zero = object).</summary>
    public static PromptMask FromPixels(ReadOnlySpan<byte> pixels, int width, int height) =>
        new(Masks.CocoRle.Encode(pixels, width, height), width, height);
}

/// <summary>
/// An operator prompt: seeds a new object (no <see cref="ObjectId"/>, or an id not yet used) or refines one.
/// Coordinates are frame pixels of the frame the prompt is applied to.
/// </summary>
public sealed record ObjectPrompt
{
    /// <summary>The object to refine; null asks the tracker to assign a new id.</summary>
    public int? ObjectId { get; init; }

    /// <summary>Free-text label echoed in tracks.</summary>
    public string? Label { get; init; }

    /// <summary>Clicks, in the order given.</summary>
    public IReadOnlyList<PromptPoint> Points { get; init; } = [];

    /// <summary>Optional box.</summary>
    public PromptBox? Box { get; init; }

    /// <summary>Optional mask, instead of points and box; needs a model set whose decoder takes a mask prompt.</summary>
    public PromptMask? Mask { get; init; }

    /// <summary>True when the prompt only refines: it must name an existing object.</summary>
    public bool RefineOnly { get; init; }
}

/// <summary>Something to do between frames, in arrival order.</summary>
public abstract record TrackerCommand
{
    /// <summary>Caller's context (e.g. the MQTT request to answer), returned with the outcome.</summary>
    public object? Tag { get; init; }
}

/// <summary>Apply a prompt on the frame being processed.</summary>
public sealed record PromptCommand(ObjectPrompt Prompt) : TrackerCommand;

/// <summary>Drop one object, or every object when <see cref="ObjectId"/> is null.</summary>
public sealed record RemoveCommand(int? ObjectId) : TrackerCommand;

/// <summary>What became of a command: success with the object ids it touched, or an error naming the bad field.</summary>
public sealed record CommandOutcome(object? Tag, bool Succeeded, IReadOnlyList<int> ObjectIds, string? Error, string? Field)
{
    /// <summary>A success touching <paramref name="ids"/>.</summary>
    public static CommandOutcome Ok(object? tag, params int[] ids) => new(tag, true, ids, null, null);

    /// <summary>A failure: nothing changed.</summary>
    public static CommandOutcome Fail(object? tag, string field, string error) => new(tag, false, [], error, field);
}
