using EdgeSam2.Testing.Mosquitto;

namespace EdgeSam2.Mqtt.Tests.Broker;

public sealed class TlsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgesam2-tls-").FullName;
    private readonly List<MqttClient> _clients = [];
    private TestCertificates _certificates = null!;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _certificates = TestCertificates.Create(_directory);
        _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
        {
            ListenerConfig = _certificates.ListenerConfig(requireClientCertificate: true),
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await _broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private MqttClient CreateClient(Action<MqttClientOptions> configure)
    {
        var options = new MqttClientOptions
        {
            Host = _broker.Host,
            Port = _broker.Port,
            UseTls = true,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        configure(options);
        var client = new MqttClient(options);
        _clients.Add(client);
        return client;
    }

    [Fact]
    public async Task ConnectAsync_PrivateCaAndClientCertificate_RoundTripOverTls()
    {
        var client = CreateClient(o =>
        {
            o.CaCertificatePath = _certificates.CaCertificatePath;
            o.ClientCertificatePath = _certificates.ClientCertificatePath;
        });

        await client.ConnectAsync();
        await client.SubscribeAsync([new MqttSubscription("secure")]);
        await client.PublishAsync(new MqttMessage("secure", Signals.Utf8("over tls"), MqttQos.AtLeastOnce));

        Assert.Equal("over tls", (await client.NextMessageAsync()).Text());
    }

    [Fact]
    public async Task ConnectAsync_BrokerCertificateFromUnknownCa_ThrowsAndDoesNotFallBack()
    {
        var client = CreateClient(o => o.ClientCertificatePath = _certificates.ClientCertificatePath);

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync());

        Assert.Null(error.ReasonCode);
        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task ConnectAsync_NoClientCertificateWhereRequired_Throws()
    {
        var client = CreateClient(o => o.CaCertificatePath = _certificates.CaCertificatePath);

        await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync());
    }
}
