using System.Text.RegularExpressions;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Testing;
using EdgeSam2.Testing.Mosquitto;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>The ACL example of the topic page, run as written: a consumer reads the agent's state but cannot command it.</summary>
[Collection(AgentCollection.Name)]
public sealed partial class AccessControlTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReadmeAcl_ConsumerSendsCommand_AgentNeverSeesItWhileOperatorIsServed()
    {
        var agentId = "acl-" + Guid.NewGuid().ToString("N")[..8];
        var @base = "edgesam2/" + agentId;
        var users = new Dictionary<string, string> { ["edgesam2-agent"] = "agent-pw", ["operator"] = "operator-pw", ["robot"] = "robot-pw" };
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
        {
            AllowAnonymous = false,
            Users = users,
            Acl = ReadmeAcl().Replace("{agent_id}", agentId, StringComparison.Ordinal),
        });
        var config = AgentConfig.Write(scene.Directory, broker, agentId, [AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false)]);
        using var host = AgentHost.Build(["--config", config, "--EdgeSam2:Mqtt:Username=edgesam2-agent", "--EdgeSam2:Mqtt:Password=agent-pw"]);
        await host.StartAsync();
        await using var robot = await ClientAsync(broker, "robot", "robot-pw", @base + "/available");
        await using var @operator = await ClientAsync(broker, "operator", "operator-pw", @base + "/#");
        try
        {
            // The consumer may read: it sees the agent come online.
            await NextAsync(robot, m => m.Topic == @base + "/available" && Text(m) == "online");

            await SendAsync(robot, @base + "/cam1/set", """{"request_id":"robot","enabled":true}""");
            await SendAsync(@operator, @base + "/cam1/set", """{"request_id":"op","enabled":false}""");

            // The agent answers in arrival order: had the robot's command reached it, its reply would come first.
            var replies = new List<string>();
            var reply = await NextAsync(@operator, m =>
            {
                if (m.Topic == @base + "/cam1/reply")
                {
                    replies.Add(Text(m));
                }

                return m.Topic == @base + "/cam1/reply" && Text(m).Contains("\"op\"", StringComparison.Ordinal);
            });
            Assert.Contains("\"ok\"", Text(reply), StringComparison.Ordinal);
            Assert.DoesNotContain(replies, r => r.Contains("\"robot\"", StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static string ReadmeAcl()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "EdgeSam2.Agent", "Messages", "README.md"));
        var section = readme[readme.IndexOf("## Broker access control", StringComparison.Ordinal)..];
        return AclBlock().Match(section).Groups[1].Value;
    }

    [GeneratedRegex(@"```text\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex AclBlock();

    private static async Task<MqttClient> ClientAsync(MosquittoBroker broker, string user, string password, string filter)
    {
        var client = new MqttClient(new MqttClientOptions { Host = broker.Host, Port = broker.Port, Username = user, Password = password, ClientId = user + "-" + Guid.NewGuid().ToString("N")[..6] });
        await client.ConnectAsync();
        await client.SubscribeAsync([new MqttSubscription(filter)]);
        return client;
    }

    private static async Task SendAsync(MqttClient client, string topic, string json)
    {
        try
        {
            await client.PublishAsync(new MqttMessage(topic, System.Text.Encoding.UTF8.GetBytes(json), MqttQos.AtLeastOnce));
        }
        catch (MqttPublishException)
        {
            // mosquitto may answer an MQTT 5 publication the ACL forbids with "not authorized": still not delivered.
        }
    }

    private static async Task<MqttMessage> NextAsync(MqttClient client, Func<MqttMessage, bool> match)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var message = await client.Messages.ReadAsync(cts.Token);
            if (match(message))
            {
                return message;
            }
        }
    }

    private static string Text(MqttMessage m) => System.Text.Encoding.UTF8.GetString(m.Payload.Span);
}
