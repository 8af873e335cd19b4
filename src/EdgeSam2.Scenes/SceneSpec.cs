namespace EdgeSam2.Scenes;

/// <summary>
/// Everything that defines a synthetic scene. Rendering is a pure function of the spec: the same spec (seed
/// included) gives the same bytes. Draw order: background, distractors, objects in list order, occluders.
/// </summary>
public sealed record SceneSpec
{
    /// <summary>Frame width in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Frame height in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>Number of frames; frame indices run from 0 to FrameCount − 1.</summary>
    public required int FrameCount { get; init; }

    /// <summary>Seed of the background texture.</summary>
    public int Seed { get; init; }

    /// <summary>Frame rate written into videos. Default 10.</summary>
    public double FramesPerSecond { get; init; } = 10;

    /// <summary>How the background looks.</summary>
    public SceneBackground Background { get; init; } = new();

    /// <summary>Targets with ground truth, drawn in this order (a later one hides an earlier one).</summary>
    public IReadOnlyList<SceneObject> Objects { get; init; } = [];

    /// <summary>Static look-alikes, drawn under the objects.</summary>
    public IReadOnlyList<Distractor> Distractors { get; init; } = [];

    /// <summary>Solid rectangles drawn above the objects.</summary>
    public IReadOnlyList<Occluder> Occluders { get; init; } = [];

    /// <summary>Bytes in one RGB24 frame.</summary>
    public int FrameByteCount => Width * Height * 3;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistency (a bad spec is a bug).</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Width, 1, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfLessThan(Height, 1, nameof(Height));
        ArgumentOutOfRangeException.ThrowIfLessThan(FrameCount, 1, nameof(FrameCount));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FramesPerSecond, 0, nameof(FramesPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(Background.CellSize, 1, nameof(SceneBackground.CellSize));
        ArgumentOutOfRangeException.ThrowIfNegative(Background.Grain, nameof(SceneBackground.Grain));
        for (var i = 0; i < Objects.Count; i++)
        {
            var o = Objects[i];
            if (!(o.Size > 0))
            {
                throw new ArgumentException($"Object {o.Id}: size must be positive.");
            }

            o.Trajectory.Validate(o.Id);
            for (var j = 0; j < i; j++)
            {
                if (Objects[j].Id == o.Id)
                {
                    throw new ArgumentException($"Object id {o.Id} is used twice.");
                }
            }
        }

        foreach (var d in Distractors)
        {
            if (!(d.Size > 0))
            {
                throw new ArgumentException("Distractor size must be positive.");
            }
        }

        foreach (var occluder in Occluders)
        {
            if (occluder.Rect.Width < 0 || occluder.Rect.Height < 0)
            {
                throw new ArgumentException($"Occluder {occluder.Rect} has a negative size.");
            }
        }
    }
}
