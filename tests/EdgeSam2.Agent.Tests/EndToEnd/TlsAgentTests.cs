using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Testing.Mosquitto;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>The agent's TLS settings reach the wire: a private CA, a client certificate the broker requires, the host name checked.</summary>
[Collection(AgentCollection.Name)]
public sealed class TlsAgentTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_MutualTlsWithPrivateCa_AgentComesOnline()
    {
        var certificates = TestCertificates.Create(Path.Combine(scene.Directory, "tls-" + Guid.NewGuid().ToString("N")[..8]));
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ListenerConfig = certificates.ListenerConfig(requireClientCertificate: true) });
        var agentId = "tls-" + Guid.NewGuid().ToString("N")[..8];
        var config = AgentConfig.Write(scene.Directory, broker, agentId, [AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false)]);
        await using var watcher = new MqttClient(new MqttClientOptions
        {
            Host = broker.Host,
            Port = broker.Port,
            UseTls = true,
            CaCertificatePath = certificates.CaCertificatePath,
            ClientCertificatePath = certificates.ClientCertificatePath,
        });
        await watcher.ConnectAsync();
        await watcher.SubscribeAsync([new MqttSubscription($"edgesam2/{agentId}/available")]);

        using var host = AgentHost.Build(
        [
            "--config", config,
            "--EdgeSam2:Mqtt:UseTls=true",
            "--EdgeSam2:Mqtt:CaCertificate=" + certificates.CaCertificatePath,
            "--EdgeSam2:Mqtt:ClientCertificate=" + certificates.ClientCertificatePath,
        ]);
        await host.StartAsync();
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            var available = await watcher.Messages.ReadAsync(cts.Token);
            Assert.Equal("online", System.Text.Encoding.UTF8.GetString(available.Payload.Span));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
