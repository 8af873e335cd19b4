using System.Diagnostics;
using System.Text.Json;
using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>The broker is a dependency the agent survives: it runs without one and rides out its restarts.</summary>
[Collection(AgentCollection.Name)]
public sealed class BrokerOutageTests(SceneFile scene, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>A fast back-off, so a restarted broker is found at once: the product default is 1 s doubling to 30 s.</summary>
    private static readonly string[] FastReconnect = ["--EdgeSam2:Mqtt:ReconnectMinDelayMs=50", "--EdgeSam2:Mqtt:ReconnectMaxDelayMs=300"];

    [Fact]
    public async Task Start_BrokerDown_CamerasRunAndAgentConnectsWhenBrokerComesUp()
    {
        await using var rig = await AgentRig.StartAsync(scene, "nobroker", AgentConfig.Camera("live1", scene.Path, "Live", enabled: true, loop: true));
        rig.Broker.Kill();

        using var host = AgentHost.Build(["--config", rig.Config, .. FastReconnect]);

        // Before, the start waited for the broker (and systemd's READY with it): it must return without one.
        await host.StartAsync().WaitAsync(Timeout);
        try
        {
            var camera = host.Services.GetRequiredService<CameraRegistry>().All[0];
            var mqtt = host.Services.GetRequiredService<AgentMqtt>();
            await UntilAsync(() => camera.Status().Frames >= 5, "frames tracked with the broker down");
            Assert.False(mqtt.Client.IsConnected);
            Assert.True(mqtt.Client.Stats.MessagesDropped > 0, "tracks are dropped (and counted) while disconnected");
            var framesBeforeBroker = camera.Status().Frames;

            await rig.Broker.RestartAsync();
            await using var probe = await MqttProbe.StartAsync(rig.Broker, rig.Base + "/#");
            var online = await probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            Assert.True(online.Retain || mqtt.Client.IsConnected);
            await probe.WaitForAsync(m => m.Topic == rig.Base + "/live1/status" && MqttProbe.Text(m).Contains("\"streaming\"", StringComparison.Ordinal), Timeout, "status streaming");
            var tracks = await probe.WaitForAsync(m => m.Topic == rig.Base + "/live1/tracks" && FrameOf(m) > framesBeforeBroker, Timeout, "tracks once the broker is up");
            Assert.True(FrameOf(tracks) > framesBeforeBroker);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task BrokerRestarted20Times_AgentStreaming_NoRestartRetainedStateRepublishedAndObjectIdKept()
    {
        const int Restarts = 20;
        await using var rig = await AgentRig.StartAsync(scene, "restarts", AgentConfig.Camera("live1", scene.Path, "Live", enabled: true, loop: true));
        await using var agent = ChildAgent.Start(rig.Config, new Dictionary<string, string>
        {
            ["EDGESAM2_EdgeSam2__Mqtt__ReconnectMinDelayMs"] = "50",
            ["EDGESAM2_EdgeSam2__Mqtt__ReconnectMaxDelayMs"] = "300",
        });
        try
        {
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/live1/tracks", Timeout, "tracks before the first restart");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nAgent output:\n" + agent.Output);
        }

        // An object to keep: the static look-alike disc, prompted once before the restarts.
        var decoy = StandardScenes.Two.DistractorAt;
        await rig.Probe.PublishAsync(rig.Base + "/live1/prompt", $$"""{"request_id":"keep","object_id":5,"label":"decoy","points":[[{{decoy.X}},{{decoy.Y}},1]]}""");
        var prompted = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/live1/reply" && MqttProbe.Text(m).Contains("\"keep\"", StringComparison.Ordinal), Timeout, "the reply to the prompt");
        Assert.Contains("\"ok\"", MqttProbe.Text(prompted), StringComparison.Ordinal);

        var republishMs = new List<double>();
        for (var restart = 1; restart <= Restarts; restart++)
        {
            rig.Broker.Kill();
            await rig.Broker.RestartAsync();
            var restarted = Stopwatch.StartNew();

            // The broker kept nothing (no persistence): a newcomer sees retained state only if the agent published it again.
            await using var late = await MqttProbe.StartAsync(rig.Broker, rig.Base + "/available", rig.Base + "/live1/status", rig.Base + "/live1/state", rig.Base + "/live1/tracks");
            var online = await late.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            republishMs.Add(restarted.Elapsed.TotalMilliseconds);
            await late.WaitForAsync(m => m.Topic == rig.Base + "/live1/status" && MqttProbe.Text(m).Contains("\"live1\"", StringComparison.Ordinal), Timeout, "the status again");
            await late.WaitForTextAsync(rig.Base + "/live1/state", """{"enabled":true}""", Timeout);
            await late.WaitForAsync(m => m.Topic == rig.Base + "/live1/tracks" && HasObject(m, 5), Timeout, "tracks again, with object 5 under its id");
            Assert.False(agent.HasExited, $"the agent exited during restart {restart}:\n{agent.Output}");
        }

        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(Timeout));
        Assert.DoesNotContain("Unhandled exception", agent.Output, StringComparison.Ordinal);
        republishMs.Sort();
        output.WriteLine($"{Restarts} broker restarts, agent up throughout; retained 'online' back {republishMs[0]:0}..{republishMs[^1]:0} ms after the broker (median {republishMs[Restarts / 2]:0} ms, back-off 50..300 ms)");
    }

    private static bool HasObject(MqttMessage message, int id)
    {
        using var json = JsonDocument.Parse(message.Payload);
        foreach (var o in json.RootElement.GetProperty("objects").EnumerateArray())
        {
            if (o.GetProperty("id").GetInt32() == id)
            {
                return true;
            }
        }

        return false;
    }

    private static long FrameOf(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    /// <summary>Re-checks a condition that has no event of its own until it holds, or throws after the time-out.</summary>
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(20, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not within {Timeout}: {what}.");
            }
        }
    }
}
