using System.Security.Cryptography;
using System.Threading.Channels;
using EdgeSam2.Mqtt.Client;
using EdgeSam2.Mqtt.Packets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSam2.Mqtt;

/// <summary>The managed MQTT 5 / 3.1.1 client. See <see cref="IMqttClient"/> for the behaviour.</summary>
public sealed class MqttClient : IMqttClient
{
    private static readonly TimeSpan DisconnectTimeout = TimeSpan.FromSeconds(5);

    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TlsSettings? _tls;
    private readonly ReconnectBackoff _backoff;
    private readonly Channel<MqttMessage> _received;
    private readonly ClientCounters _counters = new();
    private readonly Lock _gate = new();
    private readonly LinkedList<QueuedPublish> _queue = new();
    private readonly Dictionary<string, MqttSubscription> _subscriptions = new(StringComparer.Ordinal);
    private string _clientId;
    private MqttProtocolVersion? _negotiated;
    private MqttConnection? _current;
    private volatile bool _ready;
    private CancellationTokenSource? _run;
    private Task _supervisor = Task.CompletedTask;
    private bool _disposed;

    public MqttClient(MqttClientOptions options, ILogger<MqttClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid MQTT options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _tls = options.UseTls ? new TlsSettings(options) : null;
        _backoff = new ReconnectBackoff(options.ReconnectMinDelay, options.ReconnectMaxDelay, Random.Shared.NextDouble);
        _clientId = options.ClientId ?? "edgesam2-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _received = Channel.CreateBounded<MqttMessage>(new BoundedChannelOptions(options.ReceiveBufferCapacity)
        {
            // A dying connection's read loop may still deliver while its successor starts.
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public event EventHandler<MqttConnectionStateChangedEventArgs>? ConnectionStateChanged;

    public bool IsConnected => _ready;

    public string ClientId => _clientId;

    public MqttProtocolVersion? NegotiatedProtocolVersion => _negotiated;

    public ChannelReader<MqttMessage> Messages => _received.Reader;

    public MqttClientStats Stats
    {
        get
        {
            int queued;
            lock (_gate)
            {
                queued = _queue.Count;
            }

            return new MqttClientStats(
                Interlocked.Read(ref _counters.MessagesSent),
                Interlocked.Read(ref _counters.MessagesAcknowledged),
                Interlocked.Read(ref _counters.MessagesReceived),
                Interlocked.Read(ref _counters.MessagesDropped),
                Interlocked.Read(ref _counters.QueuedMessagesDropped),
                Interlocked.Read(ref _counters.ReceivedMessagesDropped),
                queued,
                Interlocked.Read(ref _counters.Reconnects),
                Interlocked.Read(ref _counters.ConnectionLosses));
        }
    }

    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_run is not null)
            {
                throw new InvalidOperationException("The client is already connected; it reconnects by itself.");
            }

            _run = new CancellationTokenSource();
        }

        var run = _run;
        try
        {
            var outcome = await EstablishAsync(firstConnection: true, cancellationToken).ConfigureAwait(false);
            if (outcome.Failure != ConnectFailure.None)
            {
                throw outcome.ToException(_options.Host, _options.Port);
            }

            var connection = Adopt(outcome);
            await ActivateAsync(connection, reconnectAttempts: 0, run.Token).ConfigureAwait(false);
            _supervisor = Task.Run(() => SuperviseAsync(connection, run.Token), CancellationToken.None);
        }
        catch
        {
            lock (_gate)
            {
                _run = null;
            }

            run.Dispose();
            throw;
        }
    }

    public ValueTask PublishAsync(MqttMessage message, CancellationToken cancellationToken = default)
    {
        ValidateForPublish(message);
        if (message.Qos == MqttQos.AtMostOnce)
        {
            PublishPerishable(message);
            return ValueTask.CompletedTask;
        }

        return PublishQos1Async(message, cancellationToken);
    }

    public bool TryPublish(MqttMessage message)
    {
        ValidateForPublish(message);
        if (message.Qos == MqttQos.AtMostOnce)
        {
            return PublishPerishable(message);
        }

        var connection = _ready ? Volatile.Read(ref _current) : null;
        var sent = connection is not null && connection.TrySendQos1(new QueuedPublish(message, null));
        if (!sent)
        {
            Interlocked.Increment(ref _counters.MessagesDropped);
        }

        return sent;
    }

    public async Task SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        for (var i = 0; i < subscriptions.Count; i++)
        {
            if (!TopicNames.IsValidTopicFilter(subscriptions[i].TopicFilter))
            {
                throw new ArgumentException($"'{subscriptions[i].TopicFilter}' is not a valid MQTT topic filter.", nameof(subscriptions));
            }
        }

        MqttConnection? connection;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var i = 0; i < subscriptions.Count; i++)
            {
                _subscriptions[subscriptions[i].TopicFilter] = subscriptions[i];
            }

            connection = _ready ? _current : null;
        }

        if (connection is not null && subscriptions.Count > 0)
        {
            // When the connection drops before SUBACK the subscriptions are simply restored after the reconnect.
            await SubscribeOnAsync(connection, subscriptions, throwOnRefusal: true, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DisconnectAsync(bool publishWill = false, CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? run;
        lock (_gate)
        {
            run = _run;
            _run = null;
        }

        if (run is null)
        {
            return;
        }

        await run.CancelAsync().ConfigureAwait(false);
        try
        {
            await _supervisor.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        run.Dispose();
        var connection = Volatile.Read(ref _current);
        _ready = false;
        if (connection is null)
        {
            return;
        }

        if (publishWill && connection.Version == MqttProtocolVersion.V311)
        {
            // 3.1.1 has no "disconnect with will": closing without DISCONNECT is how the broker is told.
            connection.Abort("closed by the client without DISCONNECT, to publish the will");
        }
        else
        {
            await connection.DisconnectAsync(publishWill ? (byte)0x04 : (byte)0x00, DisconnectTimeout, cancellationToken).ConfigureAwait(false);
        }

        Requeue(connection.Close("disconnected by the client"));
        Volatile.Write(ref _current, null);
        Log.Disconnected(_logger, publishWill);
        RaiseStateChanged(new MqttConnectionStateChangedEventArgs(false, false, "disconnected by the client"));
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await DisconnectAsync().ConfigureAwait(false);
        _received.Writer.TryComplete();
    }

    /// <summary>Test hook: kills the socket without DISCONNECT, as a crash or a cut cable would.</summary>
    internal void SimulateConnectionLoss() => Volatile.Read(ref _current)?.Abort("connection loss simulated by a test");

    private static void ValidateForPublish(MqttMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!TopicNames.IsValidTopicName(message.Topic))
        {
            throw new ArgumentException($"'{message.Topic}' is not a valid MQTT topic name.", nameof(message));
        }

        if (message.Qos is not (MqttQos.AtMostOnce or MqttQos.AtLeastOnce))
        {
            throw new ArgumentException("Only QoS 0 and 1 are supported.", nameof(message));
        }
    }

    private bool PublishPerishable(MqttMessage message)
    {
        var connection = _ready ? Volatile.Read(ref _current) : null;
        if (connection is not null && connection.TrySendQos0(message))
        {
            return true;
        }

        Interlocked.Increment(ref _counters.MessagesDropped);
        return false;
    }

    private async ValueTask PublishQos1Async(MqttMessage message, CancellationToken cancellationToken)
    {
        var item = new QueuedPublish(message, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        MqttConnection? connection;
        lock (_gate)
        {
            connection = _ready ? _current : null;
            if (connection is null)
            {
                Enqueue(item);
                return;
            }
        }

        if (!await connection.SendQos1Async(item, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_gate)
            {
                Enqueue(item);
            }

            return;
        }

        await item.Completion!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parks a QoS 1 message for the next connection; caller holds _gate.</summary>
    private void Enqueue(QueuedPublish item)
    {
        _queue.AddLast(item);
        TrimQueue();
        item.Completion?.TrySetResult();
    }

    private void TrimQueue()
    {
        while (_queue.Count > _options.MaxQueuedMessages)
        {
            var oldest = _queue.First!.Value;
            _queue.RemoveFirst();
            oldest.Completion?.TrySetResult();
            Interlocked.Increment(ref _counters.QueuedMessagesDropped);
            Log.QueueOverflow(_logger, oldest.Message.Topic);
        }
    }

    /// <summary>Unacknowledged messages of a dead connection go back to the front of the queue, in their order.</summary>
    private void Requeue(List<QueuedPublish> unacknowledged)
    {
        lock (_gate)
        {
            for (var i = unacknowledged.Count - 1; i >= 0; i--)
            {
                _queue.AddFirst(unacknowledged[i]);
                unacknowledged[i].Completion?.TrySetResult();
            }

            TrimQueue();
        }
    }

    private async Task<ConnectOutcome> EstablishAsync(bool firstConnection, CancellationToken cancellationToken)
    {
        var version = _negotiated ?? (_options.ProtocolVersion == MqttProtocolVersion.Auto ? MqttProtocolVersion.V500 : _options.ProtocolVersion);
        var outcome = await MqttConnector.ConnectAsync(_options, _tls, CreateRequest(version, firstConnection), cancellationToken).ConfigureAwait(false);
        if (outcome.Failure != ConnectFailure.None
            && outcome.IsVersionRefusal
            && _options.ProtocolVersion == MqttProtocolVersion.Auto
            && version == MqttProtocolVersion.V500)
        {
            Log.FallingBackTo311(_logger, _options.Host, _options.Port, outcome.Description);
            outcome = await MqttConnector.ConnectAsync(_options, _tls, CreateRequest(MqttProtocolVersion.V311, firstConnection), cancellationToken)
                .ConfigureAwait(false);
        }

        return outcome;
    }

    private ConnectRequest CreateRequest(MqttProtocolVersion version, bool firstConnection) => new(
        version,
        _clientId,

        // A session the client asked to keep (expiry > 0) is resumed on reconnect rather than thrown away.
        CleanStart: firstConnection ? _options.CleanStart : _options.CleanStart && _options.SessionExpiryInterval == 0,
        KeepAliveSeconds: (ushort)_options.KeepAlive.TotalSeconds,
        _options.Username,
        _options.Password,
        _options.Will,
        _options.SessionExpiryInterval,
        (uint)_options.MaximumIncomingPacketSize);

    private MqttConnection Adopt(ConnectOutcome outcome)
    {
        var connection = new MqttConnection(outcome, _options, _received.Writer, _counters, _logger, _time);
        _negotiated = outcome.Version;
        if (connection.AssignedClientIdentifier is { Length: > 0 } assigned)
        {
            _clientId = assigned;
        }

        Volatile.Write(ref _current, connection);
        connection.Start();
        Log.Connected(_logger, _options.Host, _options.Port, _clientId, outcome.Version == MqttProtocolVersion.V500 ? "5.0" : "3.1.1", connection.SessionPresent);
        return connection;
    }

    /// <summary>Restores subscriptions, then hands queued messages over, then declares the client connected.</summary>
    private async Task<bool> ActivateAsync(MqttConnection connection, int reconnectAttempts, CancellationToken cancellationToken)
    {
        MqttSubscription[] subscriptions;
        lock (_gate)
        {
            subscriptions = [.. _subscriptions.Values];
        }

        if (subscriptions.Length > 0
            && !await SubscribeOnAsync(connection, subscriptions, throwOnRefusal: false, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var resent = 0;
        while (true)
        {
            QueuedPublish item;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _ready = !connection.Closed.IsCompleted;
                    break;
                }

                item = _queue.First!.Value;
                _queue.RemoveFirst();
            }

            if (!await connection.SendQos1Async(item, cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    _queue.AddFirst(item);
                }

                return false;
            }

            resent++;
        }

        if (!_ready)
        {
            return false;
        }

        if (reconnectAttempts > 0)
        {
            Log.Reconnected(_logger, reconnectAttempts, subscriptions.Length, resent);
        }

        RaiseStateChanged(new MqttConnectionStateChangedEventArgs(true, reconnectAttempts > 0, null));
        return true;
    }

    /// <summary>Sends one SUBSCRIBE and checks every reason code; false when the connection ended before SUBACK.</summary>
    private async Task<bool> SubscribeOnAsync(
        MqttConnection connection, IReadOnlyList<MqttSubscription> subscriptions, bool throwOnRefusal, CancellationToken cancellationToken)
    {
        var ack = await connection.SubscribeAsync(subscriptions, cancellationToken).ConfigureAwait(false);
        if (ack is not { } subAck)
        {
            return false;
        }

        MqttSubscribeException? refusal = null;
        for (var i = 0; i < subscriptions.Count; i++)
        {
            // A broker that answers with fewer codes than filters broke the protocol; treat the missing ones as refused.
            var code = i < subAck.ReasonCodes.Length ? subAck.ReasonCodes[i] : (byte)0x80;
            if (code < 0x80)
            {
                continue;
            }

            var filter = subscriptions[i].TopicFilter;
            Log.SubscriptionRefused(_logger, filter, code);
            lock (_gate)
            {
                _subscriptions.Remove(filter);
            }

            refusal ??= new MqttSubscribeException(
                $"The broker refused the subscription to '{filter}' with reason 0x{code:X2}"
                + (subAck.ReasonString is { } why ? $": {why}" : "."),
                filter,
                code);
        }

        if (refusal is not null && throwOnRefusal)
        {
            throw refusal;
        }

        return true;
    }

    /// <summary>Runs from the first connection to DisconnectAsync: notices losses and reconnects.</summary>
    private async Task SuperviseAsync(MqttConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var reason = await connection.Closed.WaitAsync(cancellationToken).ConfigureAwait(false);
                _ready = false;
                Requeue(connection.Close(reason));
                Interlocked.Increment(ref _counters.ConnectionLosses);
                Log.ConnectionLost(_logger, reason);
                RaiseStateChanged(new MqttConnectionStateChangedEventArgs(false, false, reason));
                connection = await ReconnectAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<MqttConnection> ReconnectAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var delay = _backoff.DelayFor(attempt);
            Log.ReconnectScheduled(_logger, attempt + 1, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            var outcome = await EstablishAsync(firstConnection: false, cancellationToken).ConfigureAwait(false);
            if (outcome.Failure != ConnectFailure.None)
            {
                Log.ReconnectFailed(_logger, attempt + 1, outcome.Description);
                continue;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                outcome.Stream?.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
            }

            var connection = Adopt(outcome);
            Interlocked.Increment(ref _counters.Reconnects);
            await ActivateAsync(connection, reconnectAttempts: attempt + 1, cancellationToken).ConfigureAwait(false);
            return connection;
        }
    }

    private void RaiseStateChanged(MqttConnectionStateChangedEventArgs args)
    {
        try
        {
            ConnectionStateChanged?.Invoke(this, args);
        }
        catch (Exception ex)
        {
            Log.StateHandlerFailed(_logger, ex);
        }
    }
}
