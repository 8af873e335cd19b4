using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// Late prompts as a hostile or careless client sends them (same rig and scene): a flood each forcing a catch-up, mask
/// prompts naming an old frame, a late prompt then a reset.
/// </summary>
public sealed partial class LatePromptTests
{
    private const int FloodPrompts = 6, FloodBack = 15;

    /// <summary>
    /// Prompt after prompt, each on its own frame, naming a frame 1.5 s old, so each would hold the camera for a catch-up
    /// over 15 kept frames. The catch-up budget (burst of 20 frames, 0.25 per live frame) lets the first through and
    /// refuses the rest, each with a reply that names the budget, while the camera keeps tracking.
    /// </summary>
    [Fact]
    public Task Live_LatePromptsEachForcingACatchUp_BeyondTheBudgetRefusedNamingIt() =>
        OnLiveCameraAsync("flood", new { LatePromptMaxFrames = 20, LatePromptCatchUpRatio = 0.25 }, async (probe, @base, now) =>
        {
            var (tracks, replies) = (@base + "/live1/tracks", @base + "/live1/reply");
            var answers = new List<JsonElement>();
            for (var i = 0; i < FloodPrompts; i++)
            {
                // Each waits for the last reply, so each lands on a later frame and would need a catch-up of its own.
                var frame = now - FloodBack;
                var disc = scene.Renderer.CentreOf((int)frame, StandardScenes.Two.DiscId);
                var id = $"flood-{i}";
                await probe.PublishAsync(@base + "/live1/prompt", Invariant($$"""{"request_id":"{{id}}","frame":{{frame}},"points":[[{{disc.X}},{{disc.Y}},1]]}"""));
                answers.Add(Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains($"\"{id}\"", StringComparison.Ordinal), Timeout, "reply to " + id)));
                now = Math.Max(now + 1, FrameOf(probe.Messages.Last(m => m.Topic == tracks)));
            }

            Assert.True(answers[0].GetProperty("status").GetString() == "ok", answers[0].ToString());
            foreach (var refused in answers.Skip(1))
            {
                Assert.Equal("error", refused.GetProperty("status").GetString());
                Assert.Equal("frame", refused.GetProperty("field").GetString());
                Assert.Matches("needs 1[0-9] more kept frames carried forward and this camera may carry forward only [0-9] now: .*Tracking:LatePromptCatchUpRatio", refused.GetProperty("error").GetString());
            }

            // The camera kept tracking, and the object the first prompt made is in its live tracks.
            var after = FrameOf(probe.Messages.Last(m => m.Topic == tracks));
            var id0 = answers[0].GetProperty("object_id").GetInt32();
            var later = await probe.WaitForAsync(m => m.Topic == tracks && FrameOf(m) > after, Timeout, "tracks after the flood");
            Assert.Contains($"\"id\":{id0}", MqttProbe.Text(later), StringComparison.Ordinal);
            await SchemaCheck.AssertValidAsync(probe.Messages.Where(m => m.Topic == replies).Select(m => ("reply", MqttProbe.Text(m))));
        });

    /// <summary>
    /// A mask prompt naming a frame 1 s old seeds the disc with its ground-truth mask of that frame, and it is tracked
    /// on; on the same frame, a mask of another size and a malformed one are refused naming the mask, and make nothing.
    /// </summary>
    [Fact]
    public Task Live_LateMaskPrompts_GoodOneAppliedToItsFrameBadOnesRefused() =>
        OnLiveCameraAsync("late-mask", null, async (probe, @base, now) =>
        {
            var (tracks, replies, spec) = (@base + "/live1/tracks", @base + "/live1/reply", scene.Spec);
            var frame = now - 10;
            var truth = new byte[spec.Width * spec.Height];
            scene.Renderer.RenderVisibleMask((int)frame, StandardScenes.Two.DiscId, truth);
            var counts = JsonSerializer.Serialize(CocoRle.Encode(truth, spec.Width, spec.Height));
            var prompt = @base + "/live1/prompt";
            await probe.PublishAsync(prompt, Invariant($$$"""{"request_id":"late-mask","object_id":5,"frame":{{{frame}}},"mask":{"size":[{{{spec.Height}}},{{{spec.Width}}}],"counts":{{{counts}}}}}"""));
            await probe.PublishAsync(prompt, Invariant($$$"""{"request_id":"late-small","object_id":6,"frame":{{{frame}}},"mask":{"size":[3,4],"counts":"41202"}}"""));
            await probe.PublishAsync(prompt, Invariant($$$"""{"request_id":"late-sum","object_id":6,"frame":{{{frame}}},"mask":{"size":[{{{spec.Height}}},{{{spec.Width}}}],"counts":"0PeQ3"}}"""));

            var good = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"late-mask\"", StringComparison.Ordinal), Timeout, "reply to late-mask"));
            var small = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"late-small\"", StringComparison.Ordinal), Timeout, "reply to late-small"));
            var sum = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"late-sum\"", StringComparison.Ordinal), Timeout, "reply to late-sum"));
            Assert.True(good.GetProperty("status").GetString() == "ok", good.ToString());
            Assert.InRange(good.GetProperty("frame").GetInt64(), frame, frame + 2); // a dropped frame resolves to the next one tracked
            Assert.Equal(("error", "mask"), (small.GetProperty("status").GetString(), small.GetProperty("field").GetString()));
            Assert.Contains($"must be the frame's size, {spec.Width}×{spec.Height}", small.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(("error", "mask"), (sum.GetProperty("status").GetString(), sum.GetProperty("field").GetString()));
            Assert.Contains("counts cover 100000 pixels, a 512x384 mask has 196608", sum.GetProperty("error").GetString(), StringComparison.Ordinal);

            // Tracked on live: the disc's mask a few frames later matches its ground truth; object 6 never appeared.
            var later = await probe.WaitForAsync(m => m.Topic == tracks && FrameOf(m) >= now + 10, Timeout, "tracks 10 frames on");
            var parsed = TrackScoring.Parse([later], tracks).Single();
            var disc = parsed.Value.Single(o => o.Id == 5);
            scene.Renderer.RenderVisibleMask((int)parsed.Key, StandardScenes.Two.DiscId, truth);
            var iou = MaskMetrics.IoU(disc.Mask!, truth);
            Assert.True(iou >= 0.9, $"object 5 on frame {parsed.Key}: IoU {iou:0.00}");
            Assert.DoesNotContain(TrackScoring.Parse(probe.Messages, tracks).Values, objects => objects.Exists(o => o.Id == 6));
        });

    /// <summary>
    /// A late prompt and then a reset before the next frame: the reset drops the waiting prompt (it arrived after it), so
    /// both are answered, the prompt's reply saying why in words true of a late prompt, and no object is left.
    /// </summary>
    [Fact]
    public Task Live_LatePromptThenReset_BothAnsweredNoObjectLeft() =>
        OnLiveCameraAsync("late-reset", null, async (probe, @base, now) =>
        {
            var (tracks, replies) = (@base + "/live1/tracks", @base + "/live1/reply");
            var frame = now - 10;
            var disc = scene.Renderer.CentreOf((int)frame, StandardScenes.Two.DiscId);
            await probe.PublishAsync(@base + "/live1/prompt", Invariant($$"""{"request_id":"late","object_id":4,"frame":{{frame}},"points":[[{{disc.X}},{{disc.Y}},1]]}"""));
            await probe.PublishAsync(@base + "/live1/reset", """{"request_id":"wipe"}""");

            var late = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"late\"", StringComparison.Ordinal), Timeout, "reply to late"));
            var wipe = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"wipe\"", StringComparison.Ordinal), Timeout, "reply to wipe"));
            Assert.True(wipe.GetProperty("status").GetString() == "ok", wipe.ToString());
            if (late.GetProperty("status").GetString() == "ok")
            {
                // Rarely a frame comes between the two messages: the prompt is applied (a catch-up) and the reset removes it.
                Assert.Contains(4, wipe.GetProperty("object_ids").EnumerateArray().Select(e => e.GetInt32()));
            }
            else
            {
                Assert.Equal("$", late.GetProperty("field").GetString());
                Assert.Equal($"dropped by a reset or remove-all that arrived after it, before it was applied (it named frame {frame})", late.GetProperty("error").GetString());
            }

            var wipedFrame = wipe.GetProperty("frame").GetInt64();
            var after = await probe.WaitForAsync(m => m.Topic == tracks && FrameOf(m) > wipedFrame + 2, Timeout, "tracks after the reset");
            Assert.DoesNotContain("\"id\":4,", MqttProbe.Text(after), StringComparison.Ordinal);
        });

    /// <summary>The agent on Live camera live1 (the scene in real time), <paramref name="test"/> run once frame 20 is tracked.</summary>
    private async Task OnLiveCameraAsync(string name, object? tracking, Func<MqttProbe, string, long, Task> test)
    {
        await using var rig = await AgentRig.StartAsync(scene, name, [AgentConfig.Camera("live1", scene.Path, "Live", enabled: true)], tracking: tracking);
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            var tracks = rig.Base + "/live1/tracks";
            var now = FrameOf(await rig.Probe.WaitForAsync(m => m.Topic == tracks && FrameOf(m) >= 20, Timeout, "tracks of frame 20"));
            await test(rig.Probe, rig.Base, now);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
