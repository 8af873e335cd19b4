using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>Late corrections on an existing object (same rig and scene).</summary>
public sealed partial class LatePromptTests
{
    private const int CorrectedId = 3;

    /// <summary>
    /// The operator clicks the static red disc instead of the moving one, and the object follows the wrong disc for a
    /// second; then they click the right disc on the frame they had clicked on, now 1 s old. The object is rewound to that
    /// frame and carried forward: the reply is ok and names the frame, its masks on the frames in between come on
    /// tracks/correction, and from that frame on it covers the moving disc.
    /// </summary>
    /// <remarks>A 5 s ring: the refused "early" prompt names a frame over a second old, which a loaded box may reach
    /// only after the default 2 s (then refused as older than the ring, not as a correction).</remarks>
    [Fact]
    public Task Live_CorrectionOnAnExistingObjectNamingAFrameOneSecondOld_RewoundAndCarriedForward() =>
        OnLiveCameraAsync("late-correct", new { LatePromptSeconds = 5 }, async (probe, @base, now) =>
        {
            var (tracks, corrections, replies, events) = (@base + "/live1/tracks", @base + "/live1/tracks/correction", @base + "/live1/reply", @base + "/live1/events");
            var distractor = StandardScenes.Two.DistractorAt;
            await probe.PublishAsync(@base + "/live1/prompt", Invariant($$"""{"request_id":"wrong","object_id":{{CorrectedId}},"points":[[{{distractor.X}},{{distractor.Y}},1]]}"""));
            var wrong = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"wrong\"", StringComparison.Ordinal), Timeout, "reply to wrong"));
            Assert.True(wrong.GetProperty("status").GetString() == "ok", wrong.ToString());
            var seeded = wrong.GetProperty("frame").GetInt64();

            // A second on, the seed frame is 1 s old: the disc where it was then.
            await probe.WaitForAsync(m => m.Topic == tracks && FrameOf(m) >= seeded + Lag, Timeout, "tracks 1 s after the seed");
            var disc = scene.Renderer.CentreOf((int)seeded, StandardScenes.Two.DiscId);
            await probe.PublishAsync(@base + "/live1/prompt", Invariant($$"""{"request_id":"fix","object_id":{{CorrectedId}},"frame":{{seeded}},"points":[[{{disc.X}},{{disc.Y}},1]]}"""));
            var fix = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"fix\"", StringComparison.Ordinal), Timeout, "reply to fix"));
            Assert.True(fix.GetProperty("status").GetString() == "ok", fix.ToString());
            Assert.Equal((CorrectedId, seeded), (fix.GetProperty("object_id").GetInt32(), fix.GetProperty("frame").GetInt64()));

            // A correction before the object's newest prompt (now the fix, on the seed frame) is refused, by capture time.
            var earlier = probe.Messages.Where(m => m.Topic == tracks && FrameOf(m) < seeded).OrderByDescending(FrameOf).First();
            await probe.PublishAsync(@base + "/live1/prompt", Invariant($$"""{"request_id":"early","object_id":{{CorrectedId}},"capture_time":"{{CaptureTimeOf(earlier)}}","points":[[{{disc.X}},{{disc.Y}},1]]}"""));
            var early = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"early\"", StringComparison.Ordinal), Timeout, "reply to early"));
            Assert.Equal(("error", "capture_time"), (early.GetProperty("status").GetString(), early.GetProperty("field").GetString()));
            Assert.StartsWith(Invariant($"object {CorrectedId} was prompted on frame {seeded}, after frame {FrameOf(earlier)}: a correction may name frame {seeded} or a later one"), early.GetProperty("error").GetString(), StringComparison.Ordinal);

            var corrected = await probe.WaitForAsync(
                m => m.Topic == corrections && Correction(m).GetProperty("request_id").GetString() == "fix", Timeout, "the correction's first message");
            var liveFrame = Correction(corrected).GetProperty("live_frame").GetInt64();
            await probe.WaitForAsync(m => m.Topic == tracks && FrameOf(m) >= liveFrame + 5, Timeout, "tracks 5 frames after the catch-up");
            var messages = probe.Messages.ToList();

            // Before the correction, tracks had the object on the wrong disc.
            var truth = new byte[scene.Spec.Width * scene.Spec.Height];
            var published = TrackScoring.Parse(messages, tracks);
            var before = published.Where(p => p.Key >= seeded && p.Key < liveFrame).Select(p => Score(p.Key, p.Value.Single(o => o.Id == CorrectedId).Mask, truth)).ToList();
            Assert.NotEmpty(before);
            Assert.All(before, iou => Assert.True(iou < 0.1, $"before the correction the object already covered the disc (IoU {iou:0.00})"));

            // The correction's frames, then live tracks: IoU ≥ 0.9 on every one from the seed frame on.
            var masks = new SortedDictionary<long, byte[]?>();
            foreach (var m in messages.Where(m => m.Topic == corrections && Correction(m).GetProperty("request_id").GetString() == "fix"))
            {
                var c = Correction(m);
                Assert.Equal((CorrectedId, seeded, liveFrame), (c.GetProperty("object_id").GetInt32(), c.GetProperty("prompt_frame").GetInt64(), c.GetProperty("live_frame").GetInt64()));
                var frame = FrameOf(m);
                masks[frame] = TrackScoring.Parse([m], corrections)[frame].Single(o => o.Id == CorrectedId).Mask;
            }

            Assert.Equal(seeded, masks.Keys.First());
            Assert.All(published.Keys.Where(f => f >= seeded && f < liveFrame), f => Assert.True(masks.ContainsKey(f), $"frame {f} was tracked live but got no correction"));
            foreach (var (frame, objects) in published.Where(p => p.Key >= liveFrame))
            {
                masks[frame] = objects.Single(o => o.Id == CorrectedId).Mask;
            }

            var scores = masks.Select(p => (p.Key, IoU: Score(p.Key, p.Value, truth))).ToList();
            var trace = string.Join(' ', scores.Select(s => Invariant($"{s.Key}:{s.IoU:0.00}")));
            Assert.All(scores, s => Assert.True(s.IoU >= 0.9, $"frame {s.Key}: IoU {s.IoU:0.00} < 0.9 (seed {seeded}, live from {liveFrame}): {trace}"));
            Assert.True(liveFrame - seeded >= Lag, $"the catch-up covered only {liveFrame - seeded} frames");

            Assert.Contains(messages, m => m.Topic == events && MqttProbe.Text(m).Contains("\"prompt_applied\"", StringComparison.Ordinal)
                && MqttProbe.Text(m).Contains(Invariant($"\"frame\":{seeded},"), StringComparison.Ordinal));
            await SchemaCheck.AssertValidAsync(messages.Where(m => m.Topic == corrections || m.Topic == replies)
                .Select(m => (m.Topic == corrections ? "tracks-correction" : "reply", MqttProbe.Text(m))));
        });

    /// <summary>
    /// A correction refused for naming a frame before its object's newest prompt is refused before any catch-up: it
    /// costs none of the catch-up budget (barely refilled here), so a late prompt needing most of the burst right after
    /// it is still carried forward.
    /// </summary>
    [Fact]
    public Task Live_RefusedCorrectionThenALongCatchUp_RefusalCostsNoBudget() =>
        OnLiveCameraAsync("late-refused", new { LatePromptSeconds = 5, LatePromptMaxFrames = 20, LatePromptCatchUpRatio = 0.01 }, async (probe, @base, now) =>
        {
            var (tracks, replies) = (@base + "/live1/tracks", @base + "/live1/reply");
            var distractor = StandardScenes.Two.DistractorAt;
            await probe.PublishAsync(@base + "/live1/prompt", Invariant($$"""{"request_id":"seed","object_id":{{CorrectedId}},"points":[[{{distractor.X}},{{distractor.Y}},1]]}"""));
            var seed = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"seed\"", StringComparison.Ordinal), Timeout, "reply to seed"));
            Assert.True(seed.GetProperty("status").GetString() == "ok", seed.ToString());
            var seeded = seed.GetProperty("frame").GetInt64();

            // Eight frames before the seed: had it been charged, about nine kept frames of the twenty.
            await probe.PublishAsync(@base + "/live1/prompt", Invariant($$"""{"request_id":"early","object_id":{{CorrectedId}},"frame":{{seeded - 8}},"points":[[{{distractor.X}},{{distractor.Y}},1]]}"""));
            var early = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"early\"", StringComparison.Ordinal), Timeout, "reply to early"));
            Assert.Equal(("error", "frame"), (early.GetProperty("status").GetString(), early.GetProperty("field").GetString()));
            Assert.StartsWith(Invariant($"object {CorrectedId} was prompted on frame {seeded}, after frame "), early.GetProperty("error").GetString(), StringComparison.Ordinal);

            // Twelve frames back from the newest tracks seen: over half the burst, more than a charged refusal would have left.
            var latest = probe.Messages.Where(m => m.Topic == tracks).Max(FrameOf);
            var named = latest - 12;
            var disc = scene.Renderer.CentreOf((int)named, StandardScenes.Two.DiscId);
            await probe.PublishAsync(@base + "/live1/prompt", Invariant($$"""{"request_id":"long","object_id":{{CorrectedId + 1}},"frame":{{named}},"points":[[{{disc.X}},{{disc.Y}},1]]}"""));
            var late = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"long\"", StringComparison.Ordinal), Timeout, "reply to long"));
            Assert.True(late.GetProperty("status").GetString() == "ok", late.ToString());
            Assert.InRange(late.GetProperty("frame").GetInt64(), named, named + 2);
        });

    private double Score(long frame, byte[]? mask, byte[] truth)
    {
        scene.Renderer.RenderVisibleMask((int)frame, StandardScenes.Two.DiscId, truth);
        return mask is null ? 0 : MaskMetrics.IoU(mask, truth);
    }
}
