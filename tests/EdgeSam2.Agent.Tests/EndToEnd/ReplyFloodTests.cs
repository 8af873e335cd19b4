using System.Diagnostics;
using System.Text.Json;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>Replies go through the outbox, pipelined: the router never waits for a PUBACK, so a flood is answered at wire speed.</summary>
[Collection(AgentCollection.Name)]
public sealed class ReplyFloodTests(SceneFile scene, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Flood_1000Commands_EachAnsweredOnceAndConnectionKept()
    {
        const int Commands = 1000;
        // Rate limits lifted: this test is about the connection under a reply flood, not about the limits (CommandPlaneTests).
        await using var rig = await AgentRig.StartAsync(
            scene, "flood", [AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false)],
            commands: new { RatePerSecond = 100000, RateBurst = 100000, GlobalRatePerSecond = 100000, ReplyQueueCapacity = 4096 });
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            var mqtt = host.Services.GetRequiredService<AgentMqtt>();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Commands; i++)
            {
                rig.Probe.Client.Post(new EdgeSam2.Mqtt.MqttMessage(rig.Base + "/nocam/set", System.Text.Encoding.UTF8.GetBytes($$"""{"request_id":"f{{i}}","enabled":true}"""), EdgeSam2.Mqtt.MqttQos.AtLeastOnce));
            }

            var replies = 0;
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/nocam/reply" && ++replies == Commands, Timeout, $"{Commands} replies");
            clock.Stop();
            var ids = ReplyIds(rig);
            Assert.Equal(Commands, ids.Count);
            Assert.Equal(Commands, rig.Probe.Messages.Count(m => m.Topic == rig.Base + "/nocam/reply"));
            Assert.Equal(0, mqtt.Client.Stats.ConnectionLosses);
            Assert.Equal(0, mqtt.Client.Stats.ReceivedMessagesDropped);
            output.WriteLine($"{Commands} commands answered in {clock.Elapsed.TotalMilliseconds:0} ms: {Commands / clock.Elapsed.TotalSeconds:0} replies/s (every refusal logged; 2 shared cores)");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static HashSet<string> ReplyIds(AgentRig rig)
    {
        var ids = new HashSet<string>();
        foreach (var m in rig.Probe.Messages)
        {
            if (m.Topic == rig.Base + "/nocam/reply")
            {
                using var json = JsonDocument.Parse(m.Payload);
                ids.Add(json.RootElement.GetProperty("request_id").GetString()!);
            }
        }

        return ids;
    }
}
