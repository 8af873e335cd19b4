using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// Command messages the agent's MQTT client drops before the command plane sees them are counted with their reason on
/// <c>{base}/commands</c>: a flood that fills <c>Mqtt:ReceiveBufferCapacity</c>, and over MQTT 3.1.1 a message over the
/// size limit.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class ReceiveDropTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Flood_RouterHeldAndReceiveBufferFull_DropsCountedAsReceiveBufferFullAndTheRestAnswered()
    {
        const int Capacity = 16;
        const int Sent = 200;
        await using var rig = await AgentRig.StartAsync(
            scene, "rxflood", [AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false)], commands: new { StatsIntervalSeconds = 0.2, RatePerSecond = 1000, RateBurst = 1000 });
        using var host = AgentHost.Build(["--config", rig.Config, $"--EdgeSam2:Mqtt:ReceiveBufferCapacity={Capacity}"]);

        // The router stalls on the first command, as a slow one would, while the flood comes in behind it.
        var router = host.Services.GetRequiredService<CommandRouter>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        router.Gate = token =>
        {
            held.TrySetResult();
            return new ValueTask(release.Task.WaitAsync(token));
        };
        await host.StartAsync();
        try
        {
            await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            await rig.Probe.PublishAsync(rig.Base + "/nocam/reset", """{"request_id":"f0"}""");
            await held.Task.WaitAsync(Timeout);
            for (var i = 1; i < Sent; i++)
            {
                await rig.Probe.PublishAsync(rig.Base + "/nocam/reset", $$"""{"request_id":"f{{i}}"}""");
            }

            // One message is held by the router, Capacity wait in the buffer, the rest are dropped and counted.
            var full = await rig.Probe.WaitForAsync(
                m => m.Topic == rig.Base + "/commands" && CommandCounters.Parse(m).ReceiveBufferFull == Sent - Capacity - 1, Timeout, "the receive drops counted");
            await SchemaCheck.AssertValidAsync([("commands", MqttProbe.Text(full))]);
            router.Gate = null;
            release.SetResult();

            var settled = await CommandCounters.WaitSettledAsync(rig.Probe, rig.Base, Capacity + 1, Timeout);
            Assert.Equal((Sent - Capacity - 1, 0L), (settled.ReceiveBufferFull, settled.Oversized));
            Assert.Equal(Sent, settled.Received + settled.ReceiveBufferFull);
            Assert.Equal(Capacity + 1, rig.Probe.Messages.Count(m => m.Topic == rig.Base + "/nocam/reply"));
        }
        finally
        {
            release.TrySetResult();
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task V311_OversizedCommand_CountedAsOversizedNotReceived()
    {
        await using var rig = await AgentRig.StartAsync(scene, "rxbig", [AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false)], commands: new { StatsIntervalSeconds = 0.2 });
        using var host = AgentHost.Build(["--config", rig.Config, "--EdgeSam2:Mqtt:ProtocolVersion=V311", "--EdgeSam2:Mqtt:MaxIncomingMessageBytes=4096"]);
        await host.StartAsync();
        try
        {
            await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            await rig.Probe.PublishAsync(rig.Base + "/cam1/prompt", "{\"request_id\":\"big\",\"label\":\"" + new string('x', 8 * 1024) + "\"}");
            await rig.Probe.PublishAsync(rig.Base + "/nocam/reset", """{"request_id":"after"}""");

            var settled = await CommandCounters.WaitSettledAsync(rig.Probe, rig.Base, 1, Timeout);
            Assert.Equal((1L, 0L), (settled.Oversized, settled.ReceiveBufferFull));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
