using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Memory;
using EdgeSam2.Tracking.Tracker;
using Xunit.Abstractions;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>
/// Late corrections on an existing object, on the real test graphs through ORT. Scene: <see cref="StandardScenes.TwoTargets"/>.
/// The object is seeded with a click on the wrong red disc (the static distractor) and tracks it; on frame
/// <see cref="LiveFrame"/> a correction names frame <see cref="CorrectionFrame"/>, clicking the moving disc where it was
/// then (<see cref="Sam2Tracker.ProcessEarlier"/>), and the object is carried forward alone. The square, prompted on
/// frame 0, is the object that must not change.
/// <para>The test models date every conditioning memory by the oldest one's distance and follow the youngest memory
/// (models/README.md), so with two conditioning entries a correction well after the first prompt is outvoted by the
/// recent frames before it (a trained SAM 2 weighs a conditioning frame on its own). The cases therefore either correct
/// the frame the object was seeded on (its only conditioning entry is replaced), or keep one conditioning entry
/// (<see cref="MemoryOptions.MaxConditioningEntries"/> 1: the correction replaces the seed).</para>
/// </summary>
public sealed class LateCorrectionTests(TestModelSet models, ITestOutputHelper output) : IClassFixture<TestModelSet>
{
    private const int CorrectionFrame = 10, LiveFrame = 20, LastFrame = 45;
    private static readonly SceneSpec Spec = StandardScenes.TwoTargets();
    private static readonly int Disc = StandardScenes.Two.DiscId, Square = StandardScenes.Two.SquareId;

    [Theory]
    [InlineData("scalar", 0, 1)]
    [InlineData("offsets", 0, 1)]
    [InlineData("scalar", CorrectionFrame, 2)]
    [InlineData("offsets", CorrectionFrame, 2)]
    public void ProcessEarlier_CorrectionTenFramesOldOnAnObjectOnTheWrongDisc_FollowsTheDiscFromThatFrameOthersBitIdentical(string form, int seedFrame, int conditioning)
    {
        var without = Run(form, seedFrame, conditioning, Correction.None, out var wrong);
        var with = Run(form, seedFrame, conditioning, Correction.Late, out var corrected);
        var trace = string.Join(" ", corrected.Select(p => $"{p.Key}:{p.Value:0.000}"));
        output.WriteLine($"{form}, seeded on {seedFrame}: {trace}");

        // The seed followed the distractor: the disc was never found without the correction.
        Assert.All(wrong.Where(p => p.Key >= CorrectionFrame), p => Assert.True(p.Value < 0.1, $"frame {p.Key}: uncorrected IoU {p.Value:0.000}"));
        Assert.Equal(Enumerable.Range(CorrectionFrame, LastFrame - CorrectionFrame + 1), corrected.Keys.Order());
        Assert.All(corrected, p => Assert.True(p.Value >= 0.9, $"frame {p.Key}: corrected IoU {p.Value:0.000} < 0.9. {trace}"));
        for (var f = 0; f <= LastFrame; f++)
        {
            Assert.True(without[f].AsSpan().SequenceEqual(with[f]), $"frame {f}: the square's logits changed with the correction on the other object");
        }
    }

    [Theory]
    [InlineData("scalar")]
    [InlineData("offsets")]
    public void Process_SameCorrectionOnTheCurrentFrameWithTheOldClick_DoesWorse(string form)
    {
        // The control: the frame-10 click sent as a correction on frame 20, as a camera without late corrections applied it.
        Run(form, 0, 1, Correction.Current, out var control);
        var trace = string.Join(" ", control.Select(p => $"{p.Key}:{p.Value:0.000}"));
        output.WriteLine($"{form} control: {trace}");
        Assert.True(control[LiveFrame] < 0.5, $"the frame-{CorrectionFrame} click on frame {LiveFrame} reached IoU {control[LiveFrame]:0.000}: the scene does not tell a late correction from a current one. {trace}");
        Assert.True(control.Values.Average() < 0.5, $"the control's mean IoU {control.Values.Average():0.000}. {trace}");
    }

    [Fact]
    public void ProcessEarlier_CorrectionBeforeTheObjectsNewestPrompt_RefusedNamingTheFrameAndNothingChanged()
    {
        var renderer = new SceneRenderer(Spec);
        var tracker = new Sam2Tracker(models.Scalar, new TrackerOptions());
        for (var f = 0; f <= 12; f++)
        {
            IReadOnlyList<TrackerCommand> commands = f == 12 ? [Click(renderer.CentreOf(f, Disc), 1)] : f == 5 ? [Click(renderer.CentreOf(f, Disc), null)] : [];
            using var frame = tracker.Process(renderer.RenderFrame(f), Spec.Width, Spec.Height, f, Time(f), commands);
            Assert.All(frame.Outcomes, o => Assert.True(o.Succeeded, o.Error));
        }

        var memory = tracker.MemoryOf(1)!;
        var before = Describe(memory);
        using var late = tracker.ProcessEarlier(
            renderer.RenderFrame(CorrectionFrame), Spec.Width, Spec.Height, Spec.Width, Spec.Height, CorrectionFrame, Time(CorrectionFrame), [Click(renderer.CentreOf(CorrectionFrame, Disc), 1)], []);

        Assert.False(late.Outcomes[0].Succeeded);
        Assert.Equal("frame", late.Outcomes[0].Field);
        Assert.Equal("object 1 was prompted on frame 12, after frame 10: a correction may name frame 12 or a later one, not an earlier one (a prompt there would be overtaken by the later one)", late.Outcomes[0].Error);
        Assert.Empty(late.Objects);
        Assert.Equal(before, Describe(memory));
    }

    private enum Correction
    {
        None,
        Late,
        Current,
    }

    /// <summary>
    /// Object 1 seeded on <paramref name="seedFrame"/> on the distractor, the square (object 2) on frame 0, tracked to
    /// <see cref="LastFrame"/>. <see cref="Correction.Late"/>: on frame <see cref="LiveFrame"/>, object 1 is corrected on
    /// frame <see cref="CorrectionFrame"/> (the disc where it was then) and caught up first, its memory checked after the
    /// rewind and after the catch-up. <see cref="Correction.Current"/>: the same click applied to frame
    /// <see cref="LiveFrame"/>. Returns the square's low-res logits per frame and object 1's IoU against the disc per frame
    /// (from the correction frame on).
    /// </summary>
    private List<float[]> Run(string form, int seedFrame, int conditioning, Correction correction, out SortedDictionary<int, double> disc)
    {
        var renderer = new SceneRenderer(Spec);
        var tracker = new Sam2Tracker(models.Get(form), new TrackerOptions { Memory = new MemoryOptions { MaxConditioningEntries = conditioning } });
        var square = new List<float[]>();
        var click = renderer.CentreOf(CorrectionFrame, Disc);
        disc = [];
        for (var f = 0; f <= LastFrame; f++)
        {
            if (correction == Correction.Late && f == LiveFrame)
            {
                CatchUp(renderer, tracker, click, seedFrame, disc);
            }

            var commands = new List<TrackerCommand>();
            if (f == 0)
            {
                commands.Add(Click(renderer.CentreOf(0, Square), 2));
            }

            if (f == seedFrame)
            {
                commands.Add(Click(StandardScenes.Two.DistractorAt, 1));
            }

            if (correction == Correction.Current && f == LiveFrame)
            {
                commands.Add(Click(click, 1));
            }

            using var result = tracker.Process(renderer.RenderFrame(f), Spec.Width, Spec.Height, f, Time(f), commands);
            if (correction != Correction.Current || f != LiveFrame)
            {
                Assert.All(result.Outcomes, o => Assert.True(o.Succeeded, o.Error)); // the control's click may select nothing: refused, the object left as it was
            }

            var o = result.Objects.Single(o => o.ObjectId == 2);
            square.Add(o.LowResLogits.AsSpan(0, result.LowResSize * result.LowResSize).ToArray());
            if (f >= CorrectionFrame && (correction != Correction.Current || f >= LiveFrame))
            {
                disc[f] = IoU(renderer, result, 1, f);
            }
        }

        return square;
    }

    /// <summary>The correction on <see cref="CorrectionFrame"/> and the carry-forward to <see cref="LiveFrame"/>, as a Live camera runs them.</summary>
    private void CatchUp(SceneRenderer renderer, Sam2Tracker tracker, ScenePoint click, int seedFrame, SortedDictionary<int, double> disc)
    {
        var memory = tracker.MemoryOf(1)!;
        Assert.Contains(Frames(memory).Recent, f => f > CorrectionFrame); // there is something to rewind
        using (var prompted = tracker.ProcessEarlier(
            renderer.RenderFrame(CorrectionFrame), Spec.Width, Spec.Height, Spec.Width, Spec.Height, CorrectionFrame, Time(CorrectionFrame), [Click(click, 1)], []))
        {
            Assert.True(prompted.Outcomes[0].Succeeded, prompted.Outcomes[0].Error);
            Assert.Equal([1], prompted.Objects.Select(o => o.ObjectId));
            Assert.Contains(prompted.Events, e => e is { Kind: TrackEventKind.PromptApplied, ObjectId: 1, FrameIndex: CorrectionFrame });
            disc[CorrectionFrame] = IoU(renderer, prompted, 1, CorrectionFrame);
        }

        // After the rewind: nothing written on the correction frame or later but its conditioning entry.
        var rewound = Frames(memory);
        Assert.All(rewound.Recent.Concat(rewound.Anchors).Concat(rewound.Pointers), f => Assert.True(f < CorrectionFrame, $"memory kept frame {f}"));
        Assert.Equal(seedFrame == CorrectionFrame || memory.MaxConditioning == 1 ? new long[] { CorrectionFrame } : [seedFrame, CorrectionFrame], rewound.Conditioning);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var c = CorrectionFrame + 1; c < LiveFrame; c++)
        {
            using var caught = tracker.ProcessEarlier(renderer.RenderFrame(c), Spec.Width, Spec.Height, Spec.Width, Spec.Height, c, Time(c), [], [1]);
            Assert.Equal([1], caught.Objects.Select(o => o.ObjectId));
            disc[c] = IoU(renderer, caught, 1, c);
        }

        var perFrame = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds / (LiveFrame - CorrectionFrame - 1);
        output.WriteLine($"catch-up {perFrame:0.00} ms per frame carried forward (one object, image encoder included)");

        // After the catch-up: every entry after the correction frame is one the carry-forward wrote, in order up to the frame before the live one.
        var caughtUp = Frames(memory);
        var rewritten = caughtUp.Recent.Where(f => f > CorrectionFrame).ToArray();
        Assert.Equal(Enumerable.Range(LiveFrame - rewritten.Length, rewritten.Length).Select(f => (long)f), rewritten);
        Assert.NotEmpty(rewritten);
        Assert.Equal(Enumerable.Range(CorrectionFrame + 1, LiveFrame - CorrectionFrame - 1).Reverse().Select(f => (long)f), caughtUp.Pointers.Where(f => f > CorrectionFrame));
        Assert.All(caughtUp.Anchors.Where(f => f > CorrectionFrame), f => Assert.InRange(f, CorrectionFrame + 1, LiveFrame - 1));
        Assert.Equal(rewound.Conditioning, caughtUp.Conditioning);
    }

    private static (long[] Conditioning, long[] Recent, long[] Anchors, long[] Pointers) Frames(ObjectMemory memory) => (
        [.. Enumerable.Range(0, memory.ConditioningCount).Select(i => memory.Conditioning(i).Frame)],
        [.. Enumerable.Range(0, memory.RecentCount).Select(i => memory.Recent(i).Frame)],
        [.. Enumerable.Range(0, memory.AnchorCount).Select(i => memory.Anchor(i).Frame)],
        [.. Enumerable.Range(0, memory.PointerCount).Select(i => PointerFrame(memory, i))]);

    private static string Describe(ObjectMemory memory)
    {
        var (c, r, a, p) = Frames(memory);
        return $"conditioning {string.Join(',', c)}; recent {string.Join(',', r)}; anchors {string.Join(',', a)}; pointers {string.Join(',', p)}";
    }

    private static long PointerFrame(ObjectMemory memory, int index)
    {
        memory.RecentPointer(index, out var frame);
        return frame;
    }

    private static PromptCommand Click(ScenePoint p, int? id) =>
        new(new ObjectPrompt { ObjectId = id, Points = [new PromptPoint((float)p.X, (float)p.Y, true)] });

    private static DateTimeOffset Time(int frame) => DateTimeOffset.UnixEpoch.AddSeconds(frame / Spec.FramesPerSecond);

    private static double IoU(SceneRenderer renderer, TrackedFrame frame, int id, int sceneFrame) => SceneRun.IoU(renderer, frame, id, sceneFrame, Disc);
}
