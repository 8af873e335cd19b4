using System.Text.RegularExpressions;
using EdgeSam2.Testing.Mosquitto;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Mqtt.Tests.Broker;

/// <summary>
/// A client started with <see cref="IMqttClient.Start"/> against a broker it cannot use: one clear warning per kind
/// of failure, retried with back-off; with the right credentials it connects.
/// </summary>
public sealed partial class ConnectFailureTests : IAsyncLifetime
{
    private const int Attempts = 4;
    private static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(200);
    private readonly string _directory = Directory.CreateTempSubdirectory("edgesam2-connect-").FullName;
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Start_WrongPassword_OneClearWarningAndRetriedWithBackoff()
    {
        var broker = await BrokerAsync(new MosquittoBrokerOptions { AllowAnonymous = false, Users = new Dictionary<string, string> { ["agent"] = "s3cret" } });

        var log = await FailingClientAsync(broker, o => { o.Username = "agent"; o.Password = "wrong"; });

        AssertOneWarning(log, "not authorized (0x87)");
    }

    [Fact]
    public async Task Start_RightPassword_Connects()
    {
        var broker = await BrokerAsync(new MosquittoBrokerOptions { AllowAnonymous = false, Users = new Dictionary<string, string> { ["agent"] = "s3cret" } });

        await ConnectingClientAsync(broker, o => { o.Username = "agent"; o.Password = "s3cret"; });
    }

    [Fact]
    public async Task Start_BrokerCertificateFromAnotherCa_OneUntrustedCaWarningAndRetried()
    {
        var brokerSet = TestCertificates.Create(Path.Combine(_directory, "broker-ca"));
        var otherSet = TestCertificates.Create(Path.Combine(_directory, "other-ca"));
        var broker = await BrokerAsync(new MosquittoBrokerOptions { ListenerConfig = brokerSet.ListenerConfig() });

        var log = await FailingClientAsync(broker, o => { o.UseTls = true; o.CaCertificatePath = otherSet.CaCertificatePath; });

        AssertOneWarning(log, "untrusted CA");
    }

    [Fact]
    public async Task Start_BrokerCertificateForAnotherName_OneNameMismatchWarningAndRetried()
    {
        var set = TestCertificates.Create(Path.Combine(_directory, "other-name"), serverName: "broker.invalid");
        var broker = await BrokerAsync(new MosquittoBrokerOptions { ListenerConfig = set.ListenerConfig() });

        var log = await FailingClientAsync(broker, o => { o.UseTls = true; o.CaCertificatePath = set.CaCertificatePath; });

        AssertOneWarning(log, "host name mismatch");
    }

    [Fact]
    public async Task Start_TlsToPlainPort_OneWarningNamingThePlainPortAndRetried()
    {
        var set = TestCertificates.Create(Path.Combine(_directory, "plain"));
        var broker = await BrokerAsync(new MosquittoBrokerOptions());

        var log = await FailingClientAsync(broker, o => { o.UseTls = true; o.CaCertificatePath = set.CaCertificatePath; });

        AssertOneWarning(log, "plain (non-TLS) MQTT port");
    }

    [Fact]
    public async Task Start_RightCaAndClientCertificate_ConnectsOverMutualTls()
    {
        var set = TestCertificates.Create(Path.Combine(_directory, "mutual"));
        var broker = await BrokerAsync(new MosquittoBrokerOptions { ListenerConfig = set.ListenerConfig(requireClientCertificate: true) });

        await ConnectingClientAsync(broker, o =>
        {
            o.UseTls = true;
            o.CaCertificatePath = set.CaCertificatePath;
            o.ClientCertificatePath = set.ClientCertificatePath;
        });
    }

    private static void AssertOneWarning(RecordingLogger log, string reason)
    {
        var warnings = log.At(LogLevel.Warning);
        var warning = Assert.Single(warnings);
        Assert.True(warning.Contains(reason, StringComparison.Ordinal), warning);
        var retries = log.At(LogLevel.Debug).Where(l => l.Contains("failed again", StringComparison.Ordinal)).ToList();
        Assert.True(retries.Count >= Attempts - 1, $"expected {Attempts - 1} quiet retries, saw {retries.Count}");
        Assert.All(retries, r => Assert.Contains(reason, r, StringComparison.Ordinal));

        // Each retry waits a back-off within the configured bounds.
        foreach (var line in retries.Prepend(warning))
        {
            var delay = int.Parse(DelayPattern().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(delay, (int)MinDelay.TotalMilliseconds, (int)MaxDelay.TotalMilliseconds);
        }
    }

    [GeneratedRegex(@"retrying in (\d+) ms")]
    private static partial Regex DelayPattern();

    private async Task<MosquittoBroker> BrokerAsync(MosquittoBrokerOptions options)
    {
        var broker = await MosquittoBroker.StartAsync(options);
        _owned.Add(broker);
        return broker;
    }

    private MqttClient Client(MosquittoBroker broker, Action<MqttClientOptions> configure, RecordingLogger log)
    {
        var options = new MqttClientOptions
        {
            Host = broker.Host,
            Port = broker.Port,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ReconnectMinDelay = MinDelay,
            ReconnectMaxDelay = MaxDelay,
        };
        configure(options);
        var client = new MqttClient(options, log);
        _owned.Add(client);
        return client;
    }

    private async Task<RecordingLogger> FailingClientAsync(MosquittoBroker broker, Action<MqttClientOptions> configure)
    {
        var log = new RecordingLogger();
        var client = Client(broker, configure, log);
        client.Start();
        await Eventually.TrueAsync(() => client.Stats.ConnectAttemptsFailed >= Attempts, $"{Attempts} failed attempts");
        await client.DisconnectAsync();
        Assert.False(client.IsConnected);
        return log;
    }

    private async Task ConnectingClientAsync(MosquittoBroker broker, Action<MqttClientOptions> configure)
    {
        var log = new RecordingLogger();
        var client = Client(broker, configure, log);
        var states = new StateRecorder(client);
        await client.SubscribeAsync([new MqttSubscription("echo")]);
        client.Start();

        Assert.True((await states.NextAsync()).IsConnected);
        await client.PublishAsync(new MqttMessage("echo", Signals.Utf8("hello"), MqttQos.AtLeastOnce));
        Assert.Equal("hello", (await client.NextMessageAsync()).Text());
        Assert.Empty(log.At(LogLevel.Warning));
    }
}
