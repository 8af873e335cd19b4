using System.Globalization;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// Mask prompts through the real agent, ffmpeg, mosquitto, ONNX Runtime and the test models (whose decoder takes a
/// mask input) on the generated two-target scene: each target is seeded with its ground-truth mask of frame 0 as COCO
/// RLE, and must then be tracked as a click-seeded one is; malformed masks are answered with the problem named.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class MaskPromptAgentTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Track_TargetsSeededWithMasks_MasksMatchGroundTruth()
    {
        await using var rig = await AgentRig.StartAsync(scene, "e2e-mask", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false));
        var (probe, @base, spec) = (rig.Probe, rig.Base, scene.Spec);
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
            var truth = new byte[spec.Width * spec.Height];
            var ids = new[] { StandardScenes.Two.DiscId, StandardScenes.Two.SquareId };
            foreach (var id in ids)
            {
                scene.Renderer.RenderVisibleMask(0, id, truth);
                await probe.PublishAsync(@base + "/cam1/prompt", Invariant($$"""{"request_id":"m{{id}}","object_id":{{id}},"frame":0,"mask":{{Rle(truth, spec.Width, spec.Height)}}}"""));
            }

            // Refused: a mask of another size than the camera's (known only when applied), and a mask with a click.
            await probe.PublishAsync(@base + "/cam1/prompt", """{"request_id":"small","object_id":9,"frame":0,"mask":{"size":[3,4],"counts":"41202"}}""");
            await probe.PublishAsync(@base + "/cam1/prompt", """{"request_id":"both","frame":0,"points":[[1,1,1]],"mask":{"size":[3,4],"counts":"41202"}}""");
            await probe.PublishAsync(@base + "/cam1/set", """{"request_id":"go","enabled":true}""");
            var last = spec.FrameCount - 1;
            await probe.WaitForAsync(m => m.Topic == @base + "/cam1/tracks" && FrameOf(m) == last, Timeout, $"tracks of frame {last}");

            foreach (var id in ids)
            {
                using var reply = await ReplyAsync(probe, @base, $"m{id}");
                Assert.Equal("ok", reply.RootElement.GetProperty("status").GetString());
                Assert.Equal(id, reply.RootElement.GetProperty("object_id").GetInt32());
            }

            using (var small = await ReplyAsync(probe, @base, "small"))
            {
                Assert.Equal("mask", small.RootElement.GetProperty("field").GetString());
                Assert.Contains($"must be the frame's size, {spec.Width}×{spec.Height}", small.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
            }

            using (var both = await ReplyAsync(probe, @base, "both"))
            {
                Assert.Equal("mask", both.RootElement.GetProperty("field").GetString());
                Assert.Contains("cannot be combined with points", both.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
            }

            var frames = TrackScoring.Parse(probe.Messages, @base + "/cam1/tracks");
            Assert.Equal(spec.FrameCount, frames.Count);
            Assert.All(frames.Values, objects => Assert.DoesNotContain(objects, o => o.Id == 9));
            foreach (var id in ids)
            {
                var (fraction, visible, trace) = TrackScoring.Score(scene.Renderer, frames, id, id, 0, last);
                Assert.True(visible > spec.FrameCount / 2, $"object {id} visible on only {visible} frames");
                Assert.True(fraction >= 0.95, $"object {id}: IoU ≥ 0.9 on {fraction:P1} of {visible} visible frames. {trace}");
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static string Rle(byte[] mask, int width, int height) =>
        Invariant($$"""{"size":[{{height}},{{width}}],"counts":{{JsonSerializer.Serialize(CocoRle.Encode(mask, width, height))}}}""");

    private static async Task<JsonDocument> ReplyAsync(MqttProbe probe, string @base, string requestId)
    {
        var reply = await probe.WaitForAsync(m => m.Topic == @base + "/cam1/reply" && MqttProbe.Text(m).Contains($"\"{requestId}\""), Timeout, $"reply to {requestId}");
        return JsonDocument.Parse(reply.Payload);
    }

    private static long FrameOf(EdgeSam2.Mqtt.MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
