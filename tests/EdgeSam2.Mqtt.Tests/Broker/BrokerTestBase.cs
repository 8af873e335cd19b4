using EdgeSam2.Testing.Mosquitto;

namespace EdgeSam2.Mqtt.Tests.Broker;

/// <summary>A private mosquitto per test, and clients that are disposed after it.</summary>
public abstract class BrokerTestBase : IAsyncLifetime
{
    private readonly List<MqttClient> _clients = [];

    private protected MosquittoBroker Broker { get; private set; } = null!;

    private protected virtual MosquittoBrokerOptions BrokerOptions => new();

    public async Task InitializeAsync() => Broker = await MosquittoBroker.StartAsync(BrokerOptions);

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await Broker.DisposeAsync();
    }

    private protected MqttClient CreateClient(Action<MqttClientOptions>? configure = null)
    {
        var options = new MqttClientOptions
        {
            Host = Broker.Host,
            Port = Broker.Port,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        var client = new MqttClient(options);
        _clients.Add(client);
        return client;
    }

    private protected async Task<MqttClient> ConnectClientAsync(Action<MqttClientOptions>? configure = null, params string[] subscriptions)
    {
        var client = CreateClient(configure);
        await client.ConnectAsync();
        if (subscriptions.Length > 0)
        {
            var list = new List<MqttSubscription>();
            foreach (var filter in subscriptions)
            {
                list.Add(new MqttSubscription(filter));
            }

            await client.SubscribeAsync(list);
        }

        return client;
    }
}
