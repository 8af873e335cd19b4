using EdgeSam2.Testing.Mosquitto;

namespace EdgeSam2.Agent.Tests.Support;

/// <summary>
/// What every end-to-end test starts from: a real broker, a probe subscribed to a uniquely named agent's topics
/// (and, if asked, to a console topic for MQTT 5 replies), and that agent's config file. The test owns the agent.
/// </summary>
internal sealed class AgentRig : IAsyncDisposable
{
    private AgentRig(MosquittoBroker broker, MqttProbe probe, string agentId, string config)
    {
        (Broker, Probe, AgentId, Config) = (broker, probe, agentId, config);
    }

    public MosquittoBroker Broker { get; }

    public MqttProbe Probe { get; }

    public string AgentId { get; }

    /// <summary>The agent's base topic, <c>edgesam2/{agent_id}</c>.</summary>
    public string Base => $"edgesam2/{AgentId}";

    /// <summary>A response topic under the default allowed prefix <c>{base}/replies/</c>, for requests that name one.</summary>
    public string Console => $"{Base}/replies/console";

    public string Config { get; }

    public static Task<AgentRig> StartAsync(SceneFile scene, string name, object camera, bool subscribeConsole = false) =>
        StartAsync(scene, name, [camera], subscribeConsole);

    /// <summary>
    /// A rig for an agent with <paramref name="cameras"/> and, when given, <c>Commands</c>, <c>Tracking</c> and <c>Model:FramePreparation</c> options.
    /// The broker queues up to 100,000 messages per client, so a test's burst is never lost between the broker and a slow reader.
    /// </summary>
    public static async Task<AgentRig> StartAsync(
        SceneFile scene, string name, object[] cameras, bool subscribeConsole = false, object? commands = null, object? tracking = null, string framePreparation = "Auto")
    {
        var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = ["max_queued_messages 100000", "max_inflight_messages 100"] });
        try
        {
            var agentId = name + "-" + Guid.NewGuid().ToString("N")[..8];
            var filters = subscribeConsole ? new[] { $"edgesam2/{agentId}/#", $"edgesam2/{agentId}/replies/console" } : [$"edgesam2/{agentId}/#"];
            var probe = await MqttProbe.StartAsync(broker, filters);
            return new AgentRig(broker, probe, agentId, AgentConfig.Write(scene.Directory, broker, agentId, cameras, commands: commands, tracking: tracking, framePreparation: framePreparation));
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Probe.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
