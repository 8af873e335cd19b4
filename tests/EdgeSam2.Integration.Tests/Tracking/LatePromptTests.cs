using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Tracker;
using Xunit.Abstractions;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>
/// Late prompts in the tracker, on the real test graphs through ORT: a click that names an earlier frame, applied to that
/// frame and carried forward with <see cref="Sam2Tracker.ProcessEarlier"/>, against
/// the same click applied to the current frame (what a Live camera did before), and the other object's masks with and
/// without the late prompt. Scene: <see cref="StandardScenes.TwoTargets"/>, whose disc moves 5 px a frame (one radius
/// in 7 frames), so a click 10 frames old lands beside it.
/// </summary>
public sealed class LatePromptTests(TestModelSet models, ITestOutputHelper output) : IClassFixture<TestModelSet>
{
    private const int PromptFrame = 10, LiveFrame = 20, LastFrame = 45;
    private static readonly SceneSpec Spec = StandardScenes.TwoTargets();
    private static readonly int Disc = StandardScenes.Two.DiscId, Square = StandardScenes.Two.SquareId;
    private double _catchUpMs;

    [Theory]
    [InlineData("scalar")]
    [InlineData("offsets")]
    public void ProcessEarlier_ClickTenFramesOld_HoldsIoUFromThePromptFrameAndLeavesTheOtherObjectBitIdentical(string form)
    {
        var without = Run(form, late: false, out _);
        var with = Run(form, late: true, out var disc);
        output.WriteLine($"{form}: catch-up {_catchUpMs / (LiveFrame - PromptFrame - 1):0.00} ms per frame carried forward (one object, image encoder included)");

        var trace = string.Join(" ", disc.Select(p => $"{p.Key}:{p.Value:0.000}"));
        Assert.Equal(Enumerable.Range(PromptFrame, LastFrame - PromptFrame + 1), disc.Keys.Order());
        Assert.All(disc, p => Assert.True(p.Value >= 0.9, $"frame {p.Key}: disc IoU {p.Value:0.000} < 0.9. {trace}"));
        for (var f = 0; f <= LastFrame; f++)
        {
            Assert.True(without[f].AsSpan().SequenceEqual(with[f]), $"frame {f}: the square's logits changed with the late prompt on the disc");
        }
    }

    [Fact]
    public void Process_OldClickAppliedToTheCurrentFrame_MissesTheBar()
    {
        // The control: what a Live camera did before late prompts, the frame-10 click on frame 20.
        var renderer = new SceneRenderer(Spec);
        var tracker = new Sam2Tracker(models.Scalar, new TrackerOptions());
        var click = renderer.CentreOf(PromptFrame, Disc);
        using var result = tracker.Process(renderer.RenderFrame(LiveFrame), Spec.Width, Spec.Height, LiveFrame, Time(LiveFrame), [Click(click)]);
        var iou = result.Outcomes[0].Succeeded ? IoU(renderer, result, result.Outcomes[0].ObjectIds[0], LiveFrame) : 0;
        Assert.True(iou < 0.9, $"the frame-{PromptFrame} click on frame {LiveFrame} reached IoU {iou:0.000}: the scene does not tell a late prompt from a current one");
    }

    /// <summary>
    /// The square prompted on frame 0, tracked to <see cref="LastFrame"/>; with <paramref name="late"/>, on frame
    /// <see cref="LiveFrame"/> the disc is clicked where it was on <see cref="PromptFrame"/> and caught up first.
    /// Returns the square's low-res logits per frame and the disc's IoU per frame.
    /// </summary>
    private List<float[]> Run(string form, bool late, out Dictionary<int, double> disc)
    {
        var renderer = new SceneRenderer(Spec);
        var tracker = new Sam2Tracker(models.Get(form), new TrackerOptions());
        var square = new List<float[]>();
        disc = [];
        var discId = -1;
        for (var f = 0; f <= LastFrame; f++)
        {
            if (late && f == LiveFrame)
            {
                var prompt = Click(renderer.CentreOf(PromptFrame, Disc));
                using (var prompted = tracker.ProcessEarlier(renderer.RenderFrame(PromptFrame), Spec.Width, Spec.Height, Spec.Width, Spec.Height, PromptFrame, Time(PromptFrame), [prompt], []))
                {
                    Assert.True(prompted.Outcomes[0].Succeeded, prompted.Outcomes[0].Error);
                    discId = prompted.Outcomes[0].ObjectIds[0];
                    Assert.Equal([discId], prompted.Objects.Select(o => o.ObjectId));
                    disc[PromptFrame] = IoU(renderer, prompted, discId, PromptFrame);
                }

                for (var c = PromptFrame + 1; c < LiveFrame; c++)
                {
                    var pixels = renderer.RenderFrame(c);
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    using var caught = tracker.ProcessEarlier(pixels, Spec.Width, Spec.Height, Spec.Width, Spec.Height, c, Time(c), [], [discId]);
                    _catchUpMs += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    Assert.Equal([discId], caught.Objects.Select(o => o.ObjectId));
                    disc[c] = IoU(renderer, caught, discId, c);
                }
            }

            IReadOnlyList<TrackerCommand> commands = f == 0 ? [Click(renderer.CentreOf(0, Square))] : [];
            using var result = tracker.Process(renderer.RenderFrame(f), Spec.Width, Spec.Height, f, Time(f), commands);
            var o = result.Objects.Single(o => o.ObjectId == 1);
            square.Add(o.LowResLogits.AsSpan(0, result.LowResSize * result.LowResSize).ToArray());
            if (discId > 0)
            {
                disc[f] = IoU(renderer, result, discId, f);
            }
        }

        return square;
    }

    private static PromptCommand Click(ScenePoint p) => new PromptCommand(new ObjectPrompt { Points = [new PromptPoint((float)p.X, (float)p.Y, true)] });

    private static DateTimeOffset Time(int frame) => DateTimeOffset.UnixEpoch.AddSeconds(frame / Spec.FramesPerSecond);

    private static double IoU(SceneRenderer renderer, TrackedFrame frame, int id, int sceneFrame) => SceneRun.IoU(renderer, frame, id, sceneFrame, Disc);
}
