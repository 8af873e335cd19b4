using System.Globalization;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// A hostile client on a Live camera's late prompts (real agent, ffmpeg, mosquitto; the two-target scene at 10 fps):
/// prompt after prompt, each on its own frame, naming a frame 1.5 s old, so each would hold the camera for a catch-up
/// over 15 kept frames. The catch-up budget (burst of 20 frames, 0.25 per live frame) lets the first through and
/// refuses the rest, each with a reply that names the budget, while the camera keeps tracking.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class LatePromptFloodTests(SceneFile scene)
{
    private const int Prompts = 6, Back = 15;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Live_LatePromptsEachForcingACatchUp_BeyondTheBudgetRefusedNamingIt()
    {
        await using var rig = await AgentRig.StartAsync(
            scene, "flood", [AgentConfig.Camera("live1", scene.Path, "Live", enabled: true)],
            tracking: new { LatePromptMaxFrames = 20, LatePromptCatchUpRatio = 0.25 });
        var (probe, @base) = (rig.Probe, rig.Base);
        var (tracks, replies) = (@base + "/live1/tracks", @base + "/live1/reply");
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            var now = FrameOf(await probe.WaitForAsync(m => m.Topic == tracks && FrameOf(m) >= 20, Timeout, "tracks of frame 20"));
            var answers = new List<JsonElement>();
            for (var i = 0; i < Prompts; i++)
            {
                // Each waits for the last reply, so each lands on a later frame and would need a catch-up of its own.
                var frame = now - Back;
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
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static JsonElement Reply(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.Clone();
    }

    private static long FrameOf(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
