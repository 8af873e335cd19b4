using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>Over MQTT 3.1.1 the broker cannot be told the agent's size limit: any client can send more, and that must not cost the agent its connection.</summary>
[Collection(AgentCollection.Name)]
public sealed class OversizedMessageTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task V311_CommandOverMaximumSize_DroppedAndAgentStaysOnline()
    {
        await using var rig = await AgentRig.StartAsync(scene, "big311", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false));
        using var host = AgentHost.Build(["--config", rig.Config, "--EdgeSam2:Mqtt:ProtocolVersion=V311", "--EdgeSam2:Mqtt:MaxIncomingMessageBytes=4096"]);
        await host.StartAsync();
        try
        {
            await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            var mqtt = host.Services.GetRequiredService<AgentMqtt>();
            Assert.Equal(EdgeSam2.Mqtt.MqttProtocolVersion.V311, mqtt.Client.NegotiatedProtocolVersion);

            await rig.Probe.PublishAsync(rig.Base + "/cam1/prompt", "{\"request_id\":\"big\",\"label\":\"" + new string('x', 64 * 1024) + "\"}");
            await rig.Probe.PublishAsync(rig.Base + "/cam1/set", """{"request_id":"after","enabled":false}""");

            var reply = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/reply" && MqttProbe.Text(m).Contains("\"after\"", StringComparison.Ordinal), Timeout, "the reply to the command after the big one");
            Assert.Contains("\"ok\"", MqttProbe.Text(reply), StringComparison.Ordinal);
            Assert.Equal(1, mqtt.Client.Stats.OversizedMessagesDropped);
            Assert.Equal(0, mqtt.Client.Stats.ConnectionLosses);
            Assert.DoesNotContain(rig.Probe.Messages, m => m.Topic == rig.Base + "/available" && MqttProbe.Text(m) == "offline");
            Assert.DoesNotContain(rig.Probe.Messages, m => m.Topic == rig.Base + "/cam1/reply" && MqttProbe.Text(m).Contains("\"big\"", StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
