using System.Globalization;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Scenes;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// The real agent (the same composition as Program.cs, in-process) with real ffmpeg, mosquitto, ONNX Runtime and the
/// test models on the generated two-target scene: everything asserted is what arrived over MQTT.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class TwoTargetsTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <remarks>
    /// Once per <c>Model:FramePreparation</c> on the CPU: the host kernel, and the preparation graph (models/prep) whose
    /// output the encoder reads in place; both must meet the same bar, and the status names the one in use.
    /// </remarks>
    [Theory]
    [InlineData("Kernel", "frame_preparation=kernel")]
    [InlineData("Graph", "frame_preparation=graph on CPU")]
    public async Task Track_TwoPromptedTargets_MasksMatchGroundTruth(string framePreparation, string inUse)
    {
        await using var rig = await AgentRig.StartAsync(
            scene, "e2e", [AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false)], framePreparation: framePreparation);
        var (probe, @base, config) = (rig.Probe, rig.Base, rig.Config);
        using var host = AgentHost.Build(["--config", config]);
        await host.StartAsync();
        try
        {
            await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
            foreach (var id in new[] { StandardScenes.Two.DiscId, StandardScenes.Two.SquareId })
            {
                var centre = scene.Renderer.CentreOf(0, id);
                await probe.PublishAsync(@base + "/cam1/prompt", Invariant($$"""{"request_id":"p{{id}}","object_id":{{id}},"label":"t{{id}}","frame":0,"points":[[{{centre.X}},{{centre.Y}},1]]}"""));
            }

            await probe.PublishAsync(@base + "/cam1/set", """{"request_id":"go","enabled":true}""");
            var last = scene.Spec.FrameCount - 1;
            await probe.WaitForAsync(m => m.Topic == @base + "/cam1/tracks" && FrameOf(m) == last, Timeout, $"tracks of frame {last}");

            foreach (var id in new[] { StandardScenes.Two.DiscId, StandardScenes.Two.SquareId })
            {
                var reply = await probe.WaitForAsync(m => m.Topic == @base + "/cam1/reply" && MqttProbe.Text(m).Contains($"\"p{id}\""), Timeout, $"reply to p{id}");
                using var json = JsonDocument.Parse(reply.Payload);
                Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
                Assert.Equal(id, json.RootElement.GetProperty("object_id").GetInt32());
                Assert.Equal(0, json.RootElement.GetProperty("frame").GetInt64());
            }

            var frames = TrackScoring.Parse(probe.Messages, @base + "/cam1/tracks");
            Assert.Equal(scene.Spec.FrameCount, frames.Count);
            foreach (var id in new[] { StandardScenes.Two.DiscId, StandardScenes.Two.SquareId })
            {
                var (fraction, visible, trace) = TrackScoring.Score(scene.Renderer, frames, id, id, 0, last);
                Assert.True(visible > scene.Spec.FrameCount / 2, $"object {id} visible on only {visible} frames");
                Assert.True(fraction >= 0.95, $"object {id}: IoU ≥ 0.9 on {fraction:P1} of {visible} visible frames. {trace}");
            }

            AssertHealth(probe.Messages.Where(m => m.Topic == @base + "/cam1/tracks").ToList());
            var status = probe.Messages.Last(m => m.Topic == @base + "/cam1/status");
            using (var json = JsonDocument.Parse(status.Payload))
            {
                Assert.EndsWith(inUse, json.RootElement.GetProperty("provider").GetString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// Both targets stay in view with confident masks and no look-alike near them, so under the default policy every
    /// frame enters memory: the bank fills one frame at a time up to the conditioning entry plus the model's six recent
    /// slots, out of 2 conditioning entries + 6 recent slots, and no mask is rejected.
    /// </summary>
    private static void AssertHealth(List<EdgeSam2.Mqtt.MqttMessage> tracks)
    {
        const int RecentSlots = 6, Anchors = 2, Capacity = 2 + Anchors + RecentSlots;
        var checkedObjects = 0;
        foreach (var message in tracks)
        {
            using var json = JsonDocument.Parse(message.Payload);
            var frame = json.RootElement.GetProperty("frame").GetInt64();
            foreach (var o in json.RootElement.GetProperty("objects").EnumerateArray())
            {
                var id = o.GetProperty("id").GetInt32();
                var health = o.GetProperty("health");
                var where = $"frame {frame}, object {id}: {health}";
                Assert.Equal("tracking", o.GetProperty("state").GetString());
                var presence = health.GetProperty("presence").GetDouble();
                Assert.True(presence > 0.5 && presence <= 1, where);
                Assert.Equal(1 / (1 + Math.Exp(-o.GetProperty("score").GetDouble())), presence, 2);
                Assert.True(o.GetProperty("iou").GetDouble() >= 0.5, where);
                Assert.True(health.GetProperty("frames_since_memory_write").GetInt64() == 0, where);
                Assert.True(health.GetProperty("memory_frames").GetInt64() == Math.Min(1 + frame, 1 + RecentSlots), where);
                Assert.True(health.GetProperty("memory_capacity").GetInt32() == Capacity, where);
                Assert.False(health.GetProperty("mask_rejected").GetBoolean(), where);
                checkedObjects++;
            }
        }

        Assert.Equal(2 * tracks.Count, checkedObjects);
    }

    private static long FrameOf(EdgeSam2.Mqtt.MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
