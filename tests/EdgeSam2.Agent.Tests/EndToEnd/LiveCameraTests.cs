using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>A Live camera on a looping file: real-time frames, a prompt applied to the next frame, pause and resume at run time.</summary>
[Collection(AgentCollection.Name)]
public sealed class LiveCameraTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Live_PromptThenDisableAndEnable_TracksOnWithIncreasingFrames()
    {
        await using var rig = await AgentRig.StartAsync(scene, "live", AgentConfig.Camera("live1", scene.Path, "Live", enabled: true, loop: true));
        var (probe, @base, config) = (rig.Probe, rig.Base, rig.Config);
        using var host = AgentHost.Build(["--config", config]);
        await host.StartAsync();
        try
        {
            await probe.WaitForAsync(m => m.Topic == @base + "/live1/status" && MqttProbe.Text(m).Contains("\"streaming\"", StringComparison.Ordinal), Timeout, "status streaming");
            await probe.WaitForAsync(m => m.Topic == @base + "/live1/tracks", Timeout, "a tracks message");

            // The static look-alike disc is the one thing that stays put in a live stream: prompt it on the next frame.
            var decoy = StandardScenes.Two.DistractorAt;
            await probe.PublishAsync(@base + "/live1/prompt", $$"""{"request_id":"l1","object_id":5,"label":"decoy","points":[[{{decoy.X}},{{decoy.Y}},1]]}""");
            var reply = await probe.WaitForAsync(m => m.Topic == @base + "/live1/reply" && MqttProbe.Text(m).Contains("\"l1\"", StringComparison.Ordinal), Timeout, "reply to l1");
            Assert.Contains("\"status\":\"ok\"", MqttProbe.Text(reply), StringComparison.Ordinal);
            var tracked = await probe.WaitForAsync(m => m.Topic == @base + "/live1/tracks" && Decoy(m) is { } d && d.GetProperty("state").GetString() == "tracking", Timeout, "the decoy tracked");
            var centroid = Decoy(tracked)!.Value.GetProperty("centroid");
            Assert.InRange(centroid[0].GetDouble(), decoy.X - 6, decoy.X + 6);
            Assert.InRange(centroid[1].GetDouble(), decoy.Y - 6, decoy.Y + 6);

            await probe.PublishAsync(@base + "/live1/set", """{"request_id":"off","enabled":false}""");
            await probe.WaitForTextAsync(@base + "/live1/state", """{"enabled":false}""", Timeout);
            await probe.WaitForAsync(m => m.Topic == @base + "/live1/status" && MqttProbe.Text(m).Contains("\"disabled\"", StringComparison.Ordinal), Timeout, "status disabled");
            var before = probe.Messages.Where(m => m.Topic == @base + "/live1/tracks").Max(FrameOf);

            await probe.PublishAsync(@base + "/live1/set", """{"request_id":"on","enabled":true}""");
            await probe.WaitForTextAsync(@base + "/live1/state", """{"enabled":true}""", Timeout);
            var resumed = await probe.WaitForAsync(m => m.Topic == @base + "/live1/tracks" && FrameOf(m) > before + 2 && Decoy(m) is not null, Timeout, "tracks after resuming");
            Assert.NotNull(Decoy(resumed)); // objects and their memory survive a pause
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static JsonElement? Decoy(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        foreach (var o in json.RootElement.GetProperty("objects").EnumerateArray())
        {
            if (o.GetProperty("id").GetInt32() == 5)
            {
                return o.Clone();
            }
        }

        return null;
    }

    private static long FrameOf(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }
}
