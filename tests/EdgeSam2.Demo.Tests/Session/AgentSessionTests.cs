using System.Text;
using EdgeSam2.Demo.Broker;
using EdgeSam2.Demo.Session;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Demo.Tests.Session;

/// <summary>The session's routing against a real mosquitto, with a second client playing the agent's side.</summary>
public sealed class AgentSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _dir = Directory.CreateTempSubdirectory("edgesam2-demo-session-").FullName;
    private readonly AgentTopics _topics = new("edgesam2/test-agent", "cam1");
    private readonly List<string> _notices = [];
    private readonly List<string> _problems = [];
    private MosquittoProcess? _broker;
    private MqttClient? _agentSide;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoProcess.StartAsync(_dir, Timeout, CancellationToken.None);
        _agentSide = new MqttClient(new MqttClientOptions { Host = _broker.Host, Port = _broker.Port, ClientId = "fake-agent" });
        await _agentSide.ConnectAsync().WaitAsync(Timeout);
    }

    public async Task DisposeAsync()
    {
        if (_agentSide is not null)
        {
            await _agentSide.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task WhenAvailability_RetainedOnlineBeforeConnect_Completes()
    {
        await PublishAsync(_topics.Available, "online", retain: true);
        await using var session = await ConnectAsync();

        await session.WhenAvailability("online").WaitAsync(Timeout);

        Assert.Equal("online", session.Availability);
    }

    [Fact]
    public async Task WhenAvailability_StoppedAfterOnline_CompletesOnlyOnStopped()
    {
        await using var session = await ConnectAsync();
        var stopped = session.WhenAvailability("stopped");
        await PublishAsync(_topics.Available, "online", retain: true);
        await session.WhenAvailability("online").WaitAsync(Timeout);
        Assert.False(stopped.IsCompleted);

        await PublishAsync(_topics.Available, "stopped", retain: true);

        await stopped.WaitAsync(Timeout);
    }

    [Fact]
    public async Task SendAsync_ReplyOnCameraReplyTopic_CompletesMatchingRequest()
    {
        await using var session = await ConnectAsync();
        await _agentSide!.SubscribeAsync([new MqttSubscription(_topics.Prompt)]).WaitAsync(Timeout);

        var reply = await session.SendAsync(_topics.Prompt, "p1", "{\"request_id\":\"p1\"}"u8.ToArray(), CancellationToken.None).WaitAsync(Timeout);
        var sent = await _agentSide.Messages.ReadAsync().AsTask().WaitAsync(Timeout);
        await PublishAsync(_topics.Reply, """{"request_id":"other","status":"ok"}""");
        await PublishAsync(_topics.Reply, """{"request_id":"p1","status":"ok","object_id":1,"frame":0}""");

        var answer = await reply.WaitAsync(Timeout);
        Assert.Equal("{\"request_id\":\"p1\"}", Encoding.UTF8.GetString(sent.Payload.Span));
        Assert.Equal(("p1", "ok", 1), (answer.RequestId, answer.Status, answer.ObjectId));
        Assert.Contains(_problems, p => p.Contains("request_id=other", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tracks_PublishedFrames_ArriveInOrderAndBadJsonIsAProblem()
    {
        await using var session = await ConnectAsync();

        await PublishAsync(_topics.Tracks, """{"camera":"cam1","frame":0,"width":8,"height":4,"objects":[]}""");
        await PublishAsync(_topics.Tracks, "not json");
        await PublishAsync(_topics.Tracks, """{"camera":"cam1","frame":1,"width":8,"height":4,"objects":[]}""");

        Assert.Equal(0, (await session.Tracks.ReadAsync().AsTask().WaitAsync(Timeout)).Frame);
        Assert.Equal(1, (await session.Tracks.ReadAsync().AsTask().WaitAsync(Timeout)).Frame);
        Assert.Contains(_problems, p => p.StartsWith($"unreadable JSON on {_topics.Tracks}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Notices_EventAndStatusChange_PrintedOnceEach()
    {
        await using var session = await ConnectAsync();

        await PublishAsync(_topics.Events, """{"camera":"cam1","event":"created","object_id":2,"frame":0}""");
        await PublishAsync(_topics.Status, """{"camera":"cam1","state":"streaming","fps":10,"frames":1,"dropped":0}""");
        await PublishAsync(_topics.Status, """{"camera":"cam1","state":"streaming","fps":10,"frames":2,"dropped":0}""");
        await PublishAsync(_topics.Available, "online");
        await session.WhenAvailability("online").WaitAsync(Timeout);

        string[] notices;
        lock (_notices)
        {
            notices = [.. _notices];
        }

        Assert.Equal(
            ["event   created object 2 at frame 0", "status  camera cam1: streaming (frames 1, dropped 0, model ?, provider ?)", "agent   available = online"],
            notices);
    }

    private Task<AgentSession> ConnectAsync() =>
        AgentSession.ConnectAsync(_broker!.Host, _broker.Port, _topics, new AgentSessionCallbacks(
            n => { lock (_notices) { _notices.Add(n); } },
            p => { lock (_problems) { _problems.Add(p); } }), CancellationToken.None).WaitAsync(Timeout);

    private async Task PublishAsync(string topic, string payload, bool retain = false) =>
        await _agentSide!.PublishAsync(new MqttMessage(topic, Encoding.UTF8.GetBytes(payload), MqttQos.AtLeastOnce, retain)).AsTask().WaitAsync(Timeout);
}
