using System.Globalization;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// Late prompts on a Live camera through the real agent, ffmpeg and mosquitto, on the two-target scene played in real
/// time (10 fps; disc and square move 5 px a frame, a click one second old lands beside them): one prompt names a
/// frame 1 s old by number, one by capture time, one a frame older than the 2 s ring.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed partial class LatePromptTests(SceneFile scene)
{
    private const int DiscAgentId = 7, SquareAgentId = 8, Lag = 10;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Live_PromptsNamingAFrameOneSecondOld_AppliedToThatFrameCorrectedAndTrackedOn()
    {
        await using var rig = await AgentRig.StartAsync(scene, "late", AgentConfig.Camera("live1", scene.Path, "Live", enabled: true));
        var (probe, @base, config) = (rig.Probe, rig.Base, rig.Config);
        var (tracks, corrections, replies) = (@base + "/live1/tracks", @base + "/live1/tracks/correction", @base + "/live1/reply");
        using var host = AgentHost.Build(["--config", config]);
        await host.StartAsync();
        try
        {
            var now = FrameOf(await probe.WaitForAsync(m => m.Topic == tracks && FrameOf(m) >= 3 * Lag, Timeout, "tracks of frame 30"));

            // By number: the disc where it was 1 s ago. By capture time: the square on the frame of a tracks message about 1 s old.
            var discFrame = now - Lag;
            var disc = scene.Renderer.CentreOf((int)discFrame, StandardScenes.Two.DiscId);
            var old = probe.Messages.Where(m => m.Topic == tracks && FrameOf(m) <= now - Lag + 2 && FrameOf(m) >= now - Lag - 2).OrderByDescending(FrameOf).First();
            var (squareFrame, squareTime) = (FrameOf(old), CaptureTimeOf(old));
            var square = scene.Renderer.CentreOf((int)squareFrame, StandardScenes.Two.SquareId);
            await probe.PublishAsync(@base + "/live1/prompt", Invariant($$"""{"request_id":"by-frame","object_id":{{DiscAgentId}},"frame":{{discFrame}},"points":[[{{disc.X}},{{disc.Y}},1]]}"""));
            await probe.PublishAsync(@base + "/live1/prompt", Invariant($$"""{"request_id":"by-time","object_id":{{SquareAgentId}},"capture_time":"{{squareTime}}","points":[[{{square.X}},{{square.Y}},1]]}"""));
            await probe.PublishAsync(@base + "/live1/prompt", """{"request_id":"too-old","frame":0,"points":[[100,100,1]]}""");

            var byFrame = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"by-frame\"", StringComparison.Ordinal), Timeout, "reply to by-frame"));
            var byTime = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"by-time\"", StringComparison.Ordinal), Timeout, "reply to by-time"));
            var tooOld = Reply(await probe.WaitForAsync(m => m.Topic == replies && MqttProbe.Text(m).Contains("\"too-old\"", StringComparison.Ordinal), Timeout, "reply to too-old"));
            Assert.True(byFrame.GetProperty("status").GetString() == "ok", byFrame.ToString());
            Assert.InRange(byFrame.GetProperty("frame").GetInt64(), discFrame, discFrame + 2); // a dropped frame resolves to the next one tracked
            Assert.True(byTime.GetProperty("status").GetString() == "ok", byTime.ToString());
            Assert.Equal(squareFrame, byTime.GetProperty("frame").GetInt64());
            Assert.Equal("error", tooOld.GetProperty("status").GetString());
            Assert.Equal("frame", tooOld.GetProperty("field").GetString());
            Assert.Matches("frame 0 is older than the frames this camera keeps for late prompts .*: the oldest kept is frame [1-9]", tooOld.GetProperty("error").GetString());

            await probe.WaitForAsync(m => m.Topic == @base + "/live1/status" && MqttProbe.Text(m).Contains("\"finished\"", StringComparison.Ordinal), Timeout, "the file played to its end");
            var messages = probe.Messages.ToList();
            AssertLateObject(messages, tracks, corrections, DiscAgentId, StandardScenes.Two.DiscId, byFrame.GetProperty("frame").GetInt64(), disc);
            AssertLateObject(messages, tracks, corrections, SquareAgentId, StandardScenes.Two.SquareId, squareFrame, square);
            await SchemaCheck.AssertValidAsync(messages
                .Where(m => m.Topic == corrections || m.Topic == replies)
                .Select(m => (m.Topic == corrections ? "tracks-correction" : "reply", MqttProbe.Text(m))));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// The object's masks from the prompt frame on: corrections for every frame tracked before it joined live tracking,
    /// then tracks; each IoU ≥ 0.9. And the control: the click lies off the object on the frame it joined on, so
    /// applying it there (the old behaviour) could not have found the object.
    /// </summary>
    private void AssertLateObject(List<MqttMessage> messages, string tracks, string corrections, int agentId, int sceneId, long promptFrame, ScenePoint click)
    {
        var corrected = messages.Where(m => m.Topic == corrections && Correction(m).GetProperty("object_id").GetInt32() == agentId).ToList();
        Assert.NotEmpty(corrected);
        var correction = Correction(corrected[0]);
        var liveFrame = correction.GetProperty("live_frame").GetInt64();
        Assert.Equal(promptFrame, correction.GetProperty("prompt_frame").GetInt64());
        Assert.Equal(promptFrame, FrameOf(corrected[0]));
        Assert.True(liveFrame - promptFrame >= Lag / 2, $"object {agentId}: joined live tracking on frame {liveFrame}, only {liveFrame - promptFrame} frames after its prompt frame");

        var masks = new SortedDictionary<long, byte[]?>();
        foreach (var m in corrected)
        {
            var frame = FrameOf(m);
            Assert.InRange(frame, promptFrame, liveFrame - 1);
            masks[frame] = TrackScoring.Parse([m], corrections)[frame].Single(o => o.Id == agentId).Mask;
        }

        var live = TrackScoring.Parse(messages, tracks);
        foreach (var (frame, objects) in live.Where(p => p.Key >= promptFrame))
        {
            if (frame < liveFrame)
            {
                Assert.DoesNotContain(objects, o => o.Id == agentId);
                Assert.True(masks.ContainsKey(frame), $"object {agentId}: frame {frame} was tracked live but got no correction");
            }
            else
            {
                masks[frame] = objects.Single(o => o.Id == agentId).Mask;
            }
        }

        var truth = new byte[scene.Spec.Width * scene.Spec.Height];
        var trace = new List<string>();
        var below = 0;
        foreach (var (frame, mask) in masks)
        {
            scene.Renderer.RenderVisibleMask((int)frame, sceneId, truth);
            var iou = mask is null ? 0 : MaskMetrics.IoU(mask, truth);
            trace.Add(Invariant($"{frame}:{iou:0.00}"));
            below += iou >= 0.9 ? 0 : 1;
        }

        Assert.True(below == 0, $"object {agentId} (prompt frame {promptFrame}, live from {liveFrame}): IoU < 0.9 on {below} of {masks.Count} frames: {string.Join(' ', trace)}");
        Assert.True(masks.Count >= 20, $"object {agentId}: only {masks.Count} frames scored");

        scene.Renderer.RenderVisibleMask((int)liveFrame, sceneId, truth);
        Assert.Equal(0, truth[((int)Math.Round(click.Y) * scene.Spec.Width) + (int)Math.Round(click.X)]);
    }

    private static JsonElement Reply(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.Clone();
    }

    private static JsonElement Correction(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("correction").Clone();
    }

    private static long FrameOf(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    private static string CaptureTimeOf(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("capture_time").GetString()!;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
