using System.Globalization;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// Files as cameras: a Live file without Loop finishes (its end is not a failure), one with Loop plays again with a
/// <c>looped</c> event and no object events at the jump, and a paused Deterministic file loses no frame and keeps its clock.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class FileCameraTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task LiveFile_NoLoop_FinishesAtItsEndWithoutARestart()
    {
        await using var rig = await AgentRig.StartAsync(scene, "once", AgentConfig.Camera("once", scene.Path, "Live", enabled: true, loop: false));
        var (probe, @base) = (rig.Probe, rig.Base);
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            var finished = await probe.WaitForAsync(m => m.Topic == @base + "/once/status" && State(m) == "finished", Timeout, "status finished");
            using var json = JsonDocument.Parse(finished.Payload);
            var root = json.RootElement;
            Assert.Equal(0, root.GetProperty("reconnects").GetInt64());
            Assert.Equal("idle", root.GetProperty("quality").GetString());
            Assert.Equal($"end of file after {scene.Spec.FrameCount} frames", root.GetProperty("reason").GetString());
            Assert.DoesNotContain(probe.Messages, m => m.Topic == @base + "/once/status" && State(m) is "connecting" or "stalled" && Frames(m) > 0);
            var tracked = probe.Messages.Where(m => m.Topic == @base + "/once/tracks").Select(FrameOf).ToList();
            Assert.InRange(tracked.Max(), 0, scene.Spec.FrameCount - 1); // played once: no frame numbers past the file
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task LiveFile_Loop_LoopedEventAndTheObjectTrackedAcrossTheJumpWithoutEvents()
    {
        var disc = StandardScenes.Two.DiscId;
        await using var rig = await AgentRig.StartAsync(scene, "loop", AgentConfig.Camera("loop", scene.Path, "Live", enabled: true, loop: true));
        var (probe, @base) = (rig.Probe, rig.Base);
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            // In the first pass a Live camera's frame number is the file's frame index: prompt the moving disc a few
            // frames ahead, where the ground truth says it is.
            var first = FrameOf(await probe.WaitForAsync(m => m.Topic == @base + "/loop/tracks", Timeout, "a tracks message"));
            var at = (int)first + 5;
            Assert.True(at < scene.Spec.FrameCount - 20, $"the camera was already at frame {first}");
            var centre = scene.Renderer.CentreOf(at, disc);
            await probe.PublishAsync(@base + "/loop/prompt", Invariant($$"""{"request_id":"d","object_id":{{disc}},"frame":{{at}},"points":[[{{centre.X}},{{centre.Y}},1]]}"""));
            var reply = await probe.WaitForAsync(m => m.Topic == @base + "/loop/reply", Timeout, "reply to the prompt");
            Assert.Contains("\"status\":\"ok\"", MqttProbe.Text(reply), StringComparison.Ordinal);

            var looped = await probe.WaitForAsync(m => m.Topic == @base + "/loop/events" && Event(m) == "looped", Timeout, "a looped event");
            var jump = FrameOf(looped);
            await probe.WaitForAsync(m => m.Topic == @base + "/loop/tracks" && FrameOf(m) >= jump + 20, Timeout, "20 frames into the second pass");

            // No object event at the jump: only the prompt's created.
            var objectEvents = probe.Messages.Where(m => m.Topic == @base + "/loop/events" && Event(m) != "looped").Select(Event).ToList();
            Assert.Equal(["created"], objectEvents);

            // The disc is tracked on both sides of the jump, scored against the ground truth of the file's frame index.
            var frames = TrackScoring.Parse(probe.Messages, @base + "/loop/tracks");
            var firstPass = frames.Where(f => f.Key >= at && f.Key < jump).ToDictionary(f => f.Key, f => f.Value);
            var secondPass = frames.Where(f => f.Key >= jump).ToDictionary(f => f.Key - jump, f => f.Value);
            foreach (var (name, pass, from, to) in new[] { ("first pass", firstPass, at, (int)(jump - 1)), ("second pass", secondPass, 0, 20) })
            {
                var received = pass.Count(f => f.Key >= from && f.Key <= to);
                var (fraction, visible, trace) = TrackScoring.Score(scene.Renderer, pass, disc, disc, from, to);
                // Live drops frames when the tracker lags: score what arrived.
                Assert.True(received >= 10, $"{name}: only {received} frames arrived");
                var good = (int)Math.Round(fraction * visible);
                Assert.True(good >= 0.9 * received, $"{name}: IoU ≥ 0.9 on {good} of the {received} frames that arrived. {trace}");
                Assert.All(pass.Where(f => f.Key >= from && f.Key <= to).SelectMany(f => f.Value).Where(o => o.Id == disc), o => Assert.Equal("tracking", o.State));
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Deterministic_PausedAndResumedThreeTimes_EveryFramePublishedOnceOnAnUnbrokenClock()
    {
        await using var rig = await AgentRig.StartAsync(scene, "pause", AgentConfig.Camera("det", scene.Path, "Deterministic", enabled: false));
        var (probe, @base) = (rig.Probe, rig.Base);
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            await probe.WaitForTextAsync(@base + "/available", "online", Timeout);

            // An object to track makes each frame cost real work, so the pauses land mid-file.
            var centre = scene.Renderer.CentreOf(0, StandardScenes.Two.DiscId);
            await probe.PublishAsync(@base + "/det/prompt", Invariant($$"""{"request_id":"p","object_id":1,"frame":0,"points":[[{{centre.X}},{{centre.Y}},1]]}"""));
            await probe.PublishAsync(@base + "/det/set", """{"request_id":"on0","enabled":true}""");
            foreach (var pauseAfter in new[] { 10, 30, 50 })
            {
                await probe.WaitForAsync(m => m.Topic == @base + "/det/tracks" && FrameOf(m) >= pauseAfter, Timeout, $"frame {pauseAfter}");
                await probe.PublishAsync(@base + "/det/set", $$"""{"request_id":"off{{pauseAfter}}","enabled":false}""");
                await probe.WaitForAsync(m => m.Topic == @base + "/det/status" && State(m) == "disabled" && Frames(m) > pauseAfter, Timeout, "disabled");
                await probe.PublishAsync(@base + "/det/set", $$"""{"request_id":"on{{pauseAfter}}","enabled":true}""");
            }

            await probe.WaitForAsync(m => m.Topic == @base + "/det/status" && State(m) == "finished", Timeout, "finished");
            var tracks = probe.Messages.Where(m => m.Topic == @base + "/det/tracks").Select(m => (Frame: FrameOf(m), Time: CaptureTimeOf(m))).ToList();

            // Every frame exactly once, in order.
            Assert.Equal(Enumerable.Range(0, scene.Spec.FrameCount).Select(i => (long)i), tracks.Select(t => t.Frame));

            // The capture clock never jumps: frame n is frame 0 plus n frame periods, pauses or not.
            var period = TimeSpan.FromSeconds(1.0 / scene.Spec.FramesPerSecond);
            Assert.All(tracks, t => Assert.Equal(tracks[0].Time + (period * t.Frame), t.Time));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static JsonElement Root(MqttMessage m)
    {
        using var json = JsonDocument.Parse(m.Payload);
        return json.RootElement.Clone();
    }

    private static string? State(MqttMessage m) => Root(m).GetProperty("state").GetString();

    private static long Frames(MqttMessage m) => Root(m).GetProperty("frames").GetInt64();

    private static string? Event(MqttMessage m) => Root(m).GetProperty("event").GetString();

    private static long FrameOf(MqttMessage m) => Root(m).GetProperty("frame").GetInt64();

    private static DateTimeOffset CaptureTimeOf(MqttMessage m) => DateTimeOffset.Parse(Root(m).GetProperty("capture_time").GetString()!, CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
