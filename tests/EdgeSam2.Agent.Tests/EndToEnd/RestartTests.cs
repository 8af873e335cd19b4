using System.Globalization;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>Targets across a crash: the state directory keeps the next id, so ids are never reused, and the objects that died with the process are announced removed.</summary>
[Collection(AgentCollection.Name)]
public sealed class RestartTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_AfterSigkillWhileTrackingTwo_AnnouncesBothRemovedAndNeverReusesTheirIds()
    {
        await using var rig = await AgentRig.StartAsync(scene, "restart", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false));
        var (probe, @base) = (rig.Probe, rig.Base);
        var stateDirectory = Path.Combine(scene.Directory, "state-" + rig.AgentId);
        var environment = new Dictionary<string, string> { ["EDGESAM2_EdgeSam2__State__Directory"] = stateDirectory };
        var disc = scene.Renderer.CentreOf(0, StandardScenes.Two.DiscId);
        var square = scene.Renderer.CentreOf(0, StandardScenes.Two.SquareId);

        await using (var first = ChildAgent.Start(rig.Config, environment))
        {
            await WithOutput(first, async () =>
            {
                await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
                await probe.PublishAsync(@base + "/cam1/prompt", Invariant($$"""{"request_id":"a","frame":0,"points":[[{{disc.X}},{{disc.Y}},1]]}"""));
                await probe.PublishAsync(@base + "/cam1/prompt", Invariant($$"""{"request_id":"b","frame":0,"points":[[{{square.X}},{{square.Y}},1]]}"""));
                await probe.PublishAsync(@base + "/cam1/set", """{"enabled":true}""");

                // Frame 0's tracks follow the state file's write: both objects are on disk when it arrives.
                await probe.WaitForAsync(m => m.Topic == @base + "/cam1/tracks" && ObjectIds(m).Count == 2, Timeout, "tracks with both objects");
            });
            first.Kill();
            await probe.WaitForTextAsync(@base + "/available", "offline", Timeout);
        }

        Assert.Equal([1, 2], Created(probe, @base));
        using (var saved = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(stateDirectory, "cameras", "cam1.json"))))
        {
            Assert.Equal(3, saved.RootElement.GetProperty("next_object_id").GetInt32());
            Assert.Equal([1, 2], saved.RootElement.GetProperty("objects").EnumerateArray().Select(e => e.GetInt32()));
        }

        await using var second = ChildAgent.Start(rig.Config, environment);
        await WithOutput(second, async () =>
        {
            await probe.WaitForAsync(m => IsEvent(m, @base, "removed", 1), Timeout, "object 1 removed");
            await probe.WaitForAsync(m => IsEvent(m, @base, "removed", 2), Timeout, "object 2 removed");
            await probe.PublishAsync(@base + "/cam1/prompt", Invariant($$"""{"request_id":"c","frame":0,"points":[[{{disc.X}},{{disc.Y}},1]]}"""));
            await probe.PublishAsync(@base + "/cam1/set", """{"enabled":true}""");
            var reply = await probe.WaitForAsync(m => m.Topic == @base + "/cam1/reply" && MqttProbe.Text(m).Contains("\"c\"", StringComparison.Ordinal), Timeout, "the reply to c");
            using var json = JsonDocument.Parse(reply.Payload);
            Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
            Assert.Equal(3, json.RootElement.GetProperty("object_id").GetInt32());
            await probe.WaitForAsync(m => IsEvent(m, @base, "created", 3), Timeout, "object 3 created");
        });
        Assert.Equal([1, 2, 3], Created(probe, @base));
    }

    private static async Task WithOutput(ChildAgent agent, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nAgent output:\n" + agent.Output, e);
        }
    }

    private static List<int> Created(MqttProbe probe, string @base) =>
        [.. probe.Messages.Where(m => m.Topic == @base + "/cam1/events").Select(Event).Where(e => e.Name == "created").Select(e => e.Id).Order()];

    private static bool IsEvent(MqttMessage message, string @base, string name, int id) =>
        message.Topic == @base + "/cam1/events" && Event(message) == (name, id);

    private static (string Name, int Id) Event(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return (json.RootElement.GetProperty("event").GetString()!, json.RootElement.GetProperty("object_id").GetInt32());
    }

    private static List<int> ObjectIds(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return [.. json.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("id").GetInt32())];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
