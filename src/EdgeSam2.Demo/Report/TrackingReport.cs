namespace EdgeSam2.Demo.Report;

/// <summary>
/// Collects per-frame scores and turns them into the demo's verdict. Every frame from the prompt frame on where
/// an object is visible counts, received or not: a frame the agent never published, or published without the
/// object's mask, scores IoU 0.
/// </summary>
internal sealed class TrackingReport
{
    private readonly bool[,] _visible;
    private readonly ObjectFrameScore?[,] _scores;
    private readonly bool[] _received;
    private readonly List<string> _problems = [];
    private int _problemCount;

    /// <param name="objectIds">The objects scored, in report order.</param>
    /// <param name="visible">Ground truth: [frame, object index] is true when some of the object is visible.</param>
    /// <param name="promptFrame">The first frame scored (the one the prompts name).</param>
    public TrackingReport(IReadOnlyList<int> objectIds, bool[,] visible, int promptFrame)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(visible.GetLength(1), objectIds.Count);
        ObjectIds = objectIds;
        _visible = visible;
        FrameCount = visible.GetLength(0);
        PromptFrame = promptFrame;
        _scores = new ObjectFrameScore?[FrameCount, objectIds.Count];
        _received = new bool[FrameCount];
    }

    public IReadOnlyList<int> ObjectIds { get; }

    public int FrameCount { get; }

    public int PromptFrame { get; }

    /// <summary>Distinct frames received.</summary>
    public int FramesProcessed { get; private set; }

    /// <summary>The first few problems with published masks (geometry mismatches, undecodable RLE).</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>How many problems were seen in all.</summary>
    public int ProblemCount => _problemCount;

    /// <summary>Marks <paramref name="frame"/> as received; false when it is outside the scene or came before.</summary>
    public bool MarkReceived(long frame)
    {
        if (frame < 0 || frame >= FrameCount || _received[frame])
        {
            return false;
        }

        _received[frame] = true;
        FramesProcessed++;
        return true;
    }

    /// <summary>Stores the score of the object at <paramref name="objectIndex"/> in <paramref name="frame"/>.</summary>
    public void Record(int frame, int objectIndex, ObjectFrameScore score)
    {
        _scores[frame, objectIndex] = score;
        if (score.Problem is { } problem)
        {
            _problemCount++;
            if (_problems.Count < 5)
            {
                _problems.Add($"frame {frame}, object {ObjectIds[objectIndex]}: {problem}");
            }
        }
    }

    /// <summary>The verdict: per-object tracked/visible frames, overall mean IoU, pass when it reaches <paramref name="minMeanIoU"/>.</summary>
    public DemoSummary Summarise(double minMeanIoU)
    {
        var objects = new ObjectSummary[ObjectIds.Count];
        double iouSum = 0;
        var scored = 0;
        for (var i = 0; i < objects.Length; i++)
        {
            int visible = 0, tracked = 0;
            double objectIou = 0;
            for (var f = Math.Max(0, PromptFrame); f < FrameCount; f++)
            {
                if (!_visible[f, i])
                {
                    continue;
                }

                visible++;
                if (_scores[f, i] is { HasMask: true } s)
                {
                    objectIou += s.IoU;
                    tracked += s.Tracked ? 1 : 0;
                }
            }

            objects[i] = new ObjectSummary(ObjectIds[i], tracked, visible, visible == 0 ? 0 : objectIou / visible);
            iouSum += objectIou;
            scored += visible;
        }

        var mean = scored == 0 ? 0 : iouSum / scored;
        string? failure = scored == 0 ? "no visible frame was scored"
            : mean < minMeanIoU ? $"mean IoU {mean:0.000} is below {minMeanIoU:0.0#}"
            : null;
        return new DemoSummary(FramesProcessed, FrameCount, objects, mean, failure);
    }
}
