using System.Globalization;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// Two look-alike discs that touch and move on together (<see cref="StandardScenes.LookAlikesTouching"/>), through the
/// real agent, ffmpeg, mosquitto and ONNX Runtime: what arrives over MQTT keeps both ids on their own disc, and with
/// SAM 2's argmax instead of motion ownership one mask spreads and the health flag says its mask was rejected.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class LookAlikeAgentTests(SceneFile shared)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Track_TouchingLookAlikes_IdsKeepTheirDiscsAndNoMaskIsRejected()
    {
        var (frames, renderer) = await RunAsync(motionOwnership: true, "lookalike");
        var ious = Scores(frames, renderer);
        Assert.All(ious, s => Assert.True(s.IoU >= 0.8, $"frame {s.Frame}, object {s.Id}: IoU {s.IoU:0.000} < 0.8"));
        Assert.DoesNotContain(frames.Values.SelectMany(o => o), o => o.MaskRejected);
    }

    [Fact]
    public async Task Track_TouchingLookAlikesWithSam2Argmax_OneSpreadsAndItsMaskIsFlaggedRejected()
    {
        var (frames, renderer) = await RunAsync(motionOwnership: false, "argmax");
        Assert.Contains(Scores(frames, renderer), s => s.IoU < 0.8);
        var rejected = frames.Values.SelectMany(o => o).Where(o => o.MaskRejected).ToList();
        Assert.NotEmpty(rejected);
        Assert.All(rejected, o => Assert.True(o.FramesSinceMemoryWrite > 0, $"object {o.Id}: mask rejected yet memory written on that frame"));
    }

    private async Task<(Dictionary<long, List<Received>> Frames, SceneRenderer Renderer)> RunAsync(bool motionOwnership, string name)
    {
        var spec = StandardScenes.LookAlikesTouching();
        var path = Path.Combine(shared.Directory, $"touching-{name}.mkv");
        using (var write = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await SceneVideo.WriteAsync(spec, path, write.Token);
        }

        var renderer = new SceneRenderer(spec);
        await using var rig = await AgentRig.StartAsync(
            shared, name, [AgentConfig.Camera("cam1", path, "Deterministic", enabled: false)], tracking: new { MotionOwnership = motionOwnership });
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            foreach (var o in spec.Objects)
            {
                var c = renderer.CentreOf(0, o.Id);
                await rig.Probe.PublishAsync(rig.Base + "/cam1/prompt", string.Create(CultureInfo.InvariantCulture, $$"""{"request_id":"p{{o.Id}}","object_id":{{o.Id}},"frame":0,"points":[[{{c.X}},{{c.Y}},1]]}"""));
            }

            await rig.Probe.PublishAsync(rig.Base + "/cam1/set", """{"request_id":"go","enabled":true}""");
            var last = spec.FrameCount - 1;
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/tracks" && Frame(m) == last, Timeout, $"tracks of frame {last}");
            var tracks = TrackScoring.Parse(rig.Probe.Messages, rig.Base + "/cam1/tracks");
            Assert.Equal(spec.FrameCount, tracks.Count);
            return (ParseHealth(rig.Probe.Messages.Where(m => m.Topic == rig.Base + "/cam1/tracks"), tracks), renderer);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>IoU per object on every frame where its disc is at least half visible (both always are in this scene).</summary>
    private static List<(long Frame, int Id, double IoU)> Scores(Dictionary<long, List<Received>> frames, SceneRenderer renderer)
    {
        var spec = renderer.Spec;
        var truth = new byte[spec.Width * spec.Height];
        var scores = new List<(long, int, double)>();
        foreach (var (frame, objects) in frames)
        {
            foreach (var o in spec.Objects)
            {
                if ((double)renderer.VisibleArea((int)frame, o.Id) / renderer.FullArea((int)frame, o.Id) < TrackScoring.VisibleForIoU)
                {
                    continue;
                }

                renderer.RenderVisibleMask((int)frame, o.Id, truth);
                var mask = objects.FirstOrDefault(r => r.Id == o.Id)?.Mask;
                scores.Add((frame, o.Id, mask is null ? 0 : MaskMetrics.IoU(mask, truth)));
            }
        }

        Assert.Equal(2 * spec.FrameCount, scores.Count);
        return scores;
    }

    private static Dictionary<long, List<Received>> ParseHealth(IEnumerable<EdgeSam2.Mqtt.MqttMessage> messages, Dictionary<long, List<ReceivedObject>> tracks)
    {
        var frames = new Dictionary<long, List<Received>>();
        foreach (var message in messages)
        {
            using var json = JsonDocument.Parse(message.Payload);
            var frame = json.RootElement.GetProperty("frame").GetInt64();
            var list = new List<Received>();
            foreach (var o in json.RootElement.GetProperty("objects").EnumerateArray())
            {
                var id = o.GetProperty("id").GetInt32();
                var health = o.GetProperty("health");
                list.Add(new Received(
                    id, tracks[frame].Single(r => r.Id == id).Mask, health.GetProperty("mask_rejected").GetBoolean(), health.GetProperty("frames_since_memory_write").GetInt64()));
            }

            frames[frame] = list;
        }

        return frames;
    }

    private static long Frame(EdgeSam2.Mqtt.MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    private sealed record Received(int Id, byte[]? Mask, bool MaskRejected, long FramesSinceMemoryWrite);
}
