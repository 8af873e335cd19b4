using System.Net.Sockets;
using System.Text;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Testing.Mosquitto;

namespace EdgeSam2.Agent.Tests.Systemd;

/// <summary>The agent process under a fake systemd: READY=1 only once MQTT says online, STOPPING=1 on SIGTERM, watchdog pings.</summary>
[Collection(AgentCollection.Name)]
public sealed class SystemdReadinessTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_UnderNotifySocket_ReadyAfterOnlineWatchdogThenStopping()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var agentId = "sd-" + Guid.NewGuid().ToString("N")[..8];
        var @base = $"edgesam2/{agentId}";
        await using var probe = await MqttProbe.StartAsync(broker, @base + "/available");
        var socketPath = Path.Combine(scene.Directory, agentId + ".sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(socketPath));
        var config = AgentConfig.Write(scene.Directory, broker, agentId, [AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false)]);
        await using var agent = ChildAgent.Start(config, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "400000" });

        var ready = await ReceiveAsync(systemd, agent);
        Assert.StartsWith("READY=1", ready, StringComparison.Ordinal);
        await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
        Assert.Equal("WATCHDOG=1", await ReceiveAsync(systemd, agent));

        agent.Terminate();
        string message;
        do
        {
            message = await ReceiveAsync(systemd, agent);
        }
        while (message == "WATCHDOG=1");

        Assert.Equal("STOPPING=1", message);
        Assert.Equal(0, await agent.WaitForExitAsync(Timeout));
    }

    private static async Task<string> ReceiveAsync(Socket socket, ChildAgent agent)
    {
        var buffer = new byte[512];
        try
        {
            var received = await socket.ReceiveAsync(buffer).WaitAsync(Timeout);
            return Encoding.UTF8.GetString(buffer, 0, received);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("no sd_notify message from the agent. Output:\n" + agent.Output);
        }
    }
}
