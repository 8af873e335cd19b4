using System.Diagnostics;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Demo.Session;

/// <summary>
/// A subscriber's MQTT conversation with the agent, shared by the demo (<see cref="AgentSession"/>) and the bench's
/// arrival recorder: connects our own client, subscribes to one filter, pumps every message to the owner's hook
/// (with the <see cref="Stopwatch"/> timestamp taken as it came out of the client, before any parsing), matches
/// command replies to their requests by request id, and disconnects on dispose.
/// </summary>
internal sealed class MqttSession : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCompletionSource<CommandReply>> _replies = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _pump = Task.CompletedTask;

    /// <summary>Makes the client; nothing is connected until <see cref="StartAsync"/>, so the owner can keep this first.</summary>
    public MqttSession(MqttClientOptions options) => _client = new MqttClient(options);

    /// <summary>The MQTT protocol the broker accepted.</summary>
    public MqttProtocolVersion? Protocol => _client.NegotiatedProtocolVersion;

    /// <summary>Messages this client had to drop because its receive buffer was full.</summary>
    public long ReceivedMessagesDropped => _client.Stats.ReceivedMessagesDropped;

    /// <summary>
    /// Connects, starts the pump and subscribes to <paramref name="topicFilter"/>. Every message goes to
    /// <paramref name="onMessage"/> in arrival order, with its receipt timestamp; <paramref name="onEnded"/> runs once the
    /// pump stops (disposed, or the client closed its message stream).
    /// </summary>
    public async Task StartAsync(
        string topicFilter, Func<MqttMessage, long, CancellationToken, ValueTask> onMessage, Action? onEnded, CancellationToken cancellationToken)
    {
        await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        _pump = Task.Run(() => PumpAsync(onMessage, onEnded, _stopping.Token), CancellationToken.None);
        await _client.SubscribeAsync([new MqttSubscription(topicFilter)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes a command (QoS 1) and returns the task of its reply, matched by <paramref name="requestId"/>.</summary>
    public async Task<Task<CommandReply>> SendAsync(string topic, string requestId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<CommandReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _replies.Add(requestId, reply);
        }

        await _client.PublishAsync(new MqttMessage(topic, json, MqttQos.AtLeastOnce) { ContentType = "application/json", PayloadIsUtf8 = true }, cancellationToken)
            .ConfigureAwait(false);
        return reply.Task;
    }

    /// <summary>Completes the request <paramref name="reply"/> answers; false when no request of its id is waiting.</summary>
    public bool CompleteReply(CommandReply reply)
    {
        TaskCompletionSource<CommandReply>? waiter = null;
        lock (_gate)
        {
            if (reply.RequestId is not null)
            {
                _replies.Remove(reply.RequestId, out waiter);
            }
        }

        return waiter?.TrySetResult(reply) ?? false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _client.DisconnectAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The broker may already be gone while the demo or the bench cleans up.
        }

        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _client.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task PumpAsync(Func<MqttMessage, long, CancellationToken, ValueTask> onMessage, Action? onEnded, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _client.Messages.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await onMessage(message, Stopwatch.GetTimestamp(), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            onEnded?.Invoke();
        }
    }
}
