using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using EdgeSam2.Mqtt.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MqttNet = MQTTnet;

namespace EdgeSam2.Mqtt;

/// <summary>
/// The managed MQTT 5 / 3.1.1 client: MQTTnet speaks the protocol on each connection; this class keeps the
/// connection up (capped, jittered back-off), restores subscriptions, and owns the outbox. See <see cref="IMqttClient"/>.
/// </summary>
public sealed class MqttClient : IMqttClient
{
    private static readonly TimeSpan DisconnectTimeout = TimeSpan.FromSeconds(5);

    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TlsSettings? _tls;
    private readonly ReconnectBackoff _backoff;
    private readonly Channel<MqttMessage> _received;
    private readonly Channel<FrameSend> _frames;
    private readonly Outbox _outbox;
    private readonly ClientCounters _counters = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MqttSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Func<MqttNet.MqttApplicationMessageReceivedEventArgs, Task> _onReceived;
    private string _clientId;
    private MqttProtocolVersion? _negotiated;
    private MqttConnection? _current;
    private volatile bool _ready;
    private CancellationTokenSource? _run;
    private Task _supervisor = Task.CompletedTask;
    private Task _framePump = Task.CompletedTask;
    private string? _lastFailure;
    private int _receiveDropping;
    private int _oversizedLogged;
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
        _outbox = new Outbox(options.MaxQueuedMessages);
        _onReceived = OnReceivedAsync;

        // Never waited on by MQTTnet's delivery task: a full buffer drops (counted), so MQTTnet's own unbounded
        // queue behind it cannot grow while our reader lags.
        _received = Channel.CreateBounded<MqttMessage>(new BoundedChannelOptions(options.ReceiveBufferCapacity) { SingleWriter = false });
        _frames = Channel.CreateBounded<FrameSend>(new BoundedChannelOptions(options.SendBufferCapacity) { SingleReader = true });
    }

    public event EventHandler<MqttConnectionStateChangedEventArgs>? ConnectionStateChanged;

    public bool IsConnected => _ready;

    public string ClientId => _clientId;

    public MqttProtocolVersion? NegotiatedProtocolVersion => _negotiated;

    public ChannelReader<MqttMessage> Messages => _received.Reader;

    public MqttClientStats Stats => new(
        Interlocked.Read(ref _counters.MessagesSent),
        Interlocked.Read(ref _counters.MessagesAcknowledged),
        Interlocked.Read(ref _counters.MessagesReceived),
        Interlocked.Read(ref _counters.MessagesDropped),
        Interlocked.Read(ref _counters.QueuedMessagesDropped),
        Interlocked.Read(ref _counters.ReceivedMessagesDropped),
        Interlocked.Read(ref _counters.OversizedMessagesDropped),
        _outbox.Count,
        Volatile.Read(ref _counters.InFlight),
        Interlocked.Read(ref _counters.Reconnects),
        Interlocked.Read(ref _counters.ConnectionLosses),
        Interlocked.Read(ref _counters.ConnectAttemptsFailed));

    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        var run = BeginRun();
        try
        {
            var outcome = await EstablishAsync(firstConnection: true, cancellationToken).ConfigureAwait(false);
            if (outcome.Connection is not { } connection)
            {
                Interlocked.Increment(ref _counters.ConnectAttemptsFailed);
                throw outcome.ToException(_options.Host, _options.Port);
            }

            Adopt(connection);
            if (!await ActivateAsync(connection, reconnectAttempts: 0, run.Token).ConfigureAwait(false))
            {
                // Subscriptions not restored on a connection that still stands: start over on a fresh one.
                connection.Abort();
            }

            StartLoops(connection, run.Token);
        }
        catch
        {
            EndRun(run);
            throw;
        }
    }

    public void Start()
    {
        var run = BeginRun();
        StartLoops(null, run.Token);
    }

    public ValueTask PublishAsync(MqttMessage message, CancellationToken cancellationToken = default)
    {
        ValidateForPublish(message);
        if (message.Qos == MqttQos.AtMostOnce)
        {
            return PublishNowAsync(message);
        }

        var item = new QueuedPublish(message, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), perishable: false);
        if (!_ready)
        {
            // Parked for the next connection: nobody waits through an outage.
            item.Completion!.TrySetResult();
        }

        Enqueue(item);
        return new ValueTask(item.Completion!.Task.WaitAsync(cancellationToken));
    }

    public void Post(MqttMessage message)
    {
        ValidateForPublish(message);
        if (message.Qos == MqttQos.AtMostOnce)
        {
            TryPublish(message);
            return;
        }

        Enqueue(new QueuedPublish(message, null, perishable: false));
    }

    public bool TryPublish(MqttMessage message)
    {
        ValidateForPublish(message);
        if (!_ready)
        {
            Interlocked.Increment(ref _counters.MessagesDropped);
            return false;
        }

        if (message.Qos == MqttQos.AtLeastOnce)
        {
            // Copied: the caller may reuse its buffer once this returns. Only a free outbox place is taken, never an
            // in-flight slot: those are the pump's, and always given back when a send ends.
            var copy = message with { Payload = message.Payload.ToArray() };
            if (_outbox.TryEnqueue(new QueuedPublish(copy, null, perishable: true), _options.SendBufferCapacity))
            {
                return true;
            }

            Interlocked.Increment(ref _counters.MessagesDropped);
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, message.Payload.Length));
        message.Payload.Span.CopyTo(buffer);
        var frame = new FrameSend(buffer, message.Payload.Length, message);
        if (_frames.Writer.TryWrite(frame))
        {
            return true;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        Interlocked.Increment(ref _counters.MessagesDropped);
        return false;
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
        await _supervisor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _framePump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        run.Dispose();
        _ready = false;
        var connection = Interlocked.Exchange(ref _current, null);
        if (connection is null)
        {
            return;
        }

        await connection.DisconnectAsync(publishWill, DisconnectTimeout, cancellationToken).ConfigureAwait(false);
        connection.Dispose();
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
    internal void SimulateConnectionLoss() => Volatile.Read(ref _current)?.Abort();

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

    private CancellationTokenSource BeginRun()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_run is not null)
            {
                throw new InvalidOperationException("The client is already started; it reconnects by itself.");
            }

            _run = new CancellationTokenSource();
            return _run;
        }
    }

    private void EndRun(CancellationTokenSource run)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_run, run))
            {
                _run = null;
            }
        }

        run.Dispose();
    }

    private void StartLoops(MqttConnection? first, CancellationToken cancellationToken)
    {
        _supervisor = Task.Run(() => SuperviseAsync(first, cancellationToken), CancellationToken.None);
        _framePump = Task.Run(() => PumpFramesAsync(cancellationToken), CancellationToken.None);
    }

    private async ValueTask PublishNowAsync(MqttMessage message)
    {
        var connection = _ready ? Volatile.Read(ref _current) : null;
        if (connection is null || IsTooLarge(connection, message.Topic, message.Payload.Length, message))
        {
            Interlocked.Increment(ref _counters.MessagesDropped);
            return;
        }

        try
        {
            await connection.PublishAsync(MessageMapping.ToMqttNet(message, message.Payload, connection.IsV5)).ConfigureAwait(false);
            Interlocked.Increment(ref _counters.MessagesSent);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The connection went away under the write: a perishable message is simply lost.
            Interlocked.Increment(ref _counters.MessagesDropped);
        }
    }

    private void Enqueue(QueuedPublish item)
    {
        if (_outbox.Enqueue(item) is not { } displaced)
        {
            return;
        }

        displaced.Completion?.TrySetResult();
        var replaced = displaced.Message.Retain && item.Message.Retain && displaced.Message.Topic == item.Message.Topic;
        if (!replaced)
        {
            Interlocked.Increment(ref _counters.QueuedMessagesDropped);
            Log.QueueOverflow(_logger, displaced.Message.Topic);
        }
    }

    /// <summary>A publication whose connection died before PUBACK: perishable ones are dropped, the rest go back in order.</summary>
    private void Park(QueuedPublish item)
    {
        item.Completion?.TrySetResult();
        if (item.Perishable)
        {
            Interlocked.Increment(ref _counters.MessagesDropped);
            return;
        }

        if (_outbox.Requeue(item, out _) is { } dropped)
        {
            dropped.Completion?.TrySetResult();
            Interlocked.Increment(ref _counters.QueuedMessagesDropped);
            Log.QueueOverflow(_logger, dropped.Message.Topic);
        }
    }

    private bool IsTooLarge(MqttConnection connection, string topic, long payloadLength, MqttMessage message)
    {
        if (connection.BrokerMaximumPacketSize is not { } maximum)
        {
            return false;
        }

        var size = MessageMapping.EstimatedPacketSize(topic, payloadLength, MessageMapping.PropertiesLength(message));
        if (size <= maximum)
        {
            return false;
        }

        // A broker disconnects a client that exceeds its limit: never send it.
        Log.PacketTooLarge(_logger, topic, size, maximum);
        return true;
    }

    private async Task<ConnectOutcome> EstablishAsync(bool firstConnection, CancellationToken cancellationToken)
    {
        var version = _negotiated ?? (_options.ProtocolVersion == MqttProtocolVersion.Auto ? MqttProtocolVersion.V500 : _options.ProtocolVersion);
        var outcome = await MqttConnection.ConnectAsync(_options, _tls, CreateRequest(version, firstConnection), _onReceived, cancellationToken).ConfigureAwait(false);
        if (outcome.Connection is null
            && outcome.IsVersionRefusal
            && _options.ProtocolVersion == MqttProtocolVersion.Auto
            && version == MqttProtocolVersion.V500)
        {
            Log.FallingBackTo311(_logger, _options.Host, _options.Port, outcome.Description);
            outcome = await MqttConnection.ConnectAsync(_options, _tls, CreateRequest(MqttProtocolVersion.V311, firstConnection), _onReceived, cancellationToken)
                .ConfigureAwait(false);
        }

        return outcome;
    }

    private ConnectRequest CreateRequest(MqttProtocolVersion version, bool firstConnection) => new(
        version,
        _clientId,

        // A session the client asked to keep (expiry > 0) is resumed on reconnect rather than thrown away.
        CleanStart: firstConnection ? _options.CleanStart : _options.CleanStart && _options.SessionExpiryInterval == 0);

    private void Adopt(MqttConnection connection)
    {
        _negotiated = connection.Version;
        if (connection.AssignedClientIdentifier is { Length: > 0 } assigned)
        {
            _clientId = assigned;
        }

        Volatile.Write(ref _current, connection);
        Log.Connected(_logger, _options.Host, _options.Port, _clientId, connection.Version == MqttProtocolVersion.V500 ? "5.0" : "3.1.1", connection.SessionPresent);
    }

    /// <summary>Restores subscriptions, then opens the outbox to the connection, then declares the client connected.</summary>
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

        if (connection.Closed.IsCompleted)
        {
            return false;
        }

        _ready = true;
        _ = Task.Run(() => PumpOutboxAsync(connection), CancellationToken.None);
        _ = Task.Run(() => connection.WatchAsync(_options.KeepAlive), CancellationToken.None);
        if (reconnectAttempts > 0)
        {
            Log.Reconnected(_logger, reconnectAttempts, subscriptions.Length, _outbox.Count);
        }

        RaiseStateChanged(new MqttConnectionStateChangedEventArgs(true, reconnectAttempts > 0, null));
        return true;
    }

    /// <summary>Sends one SUBSCRIBE and checks every reason code; false when the connection ended before SUBACK.</summary>
    private async Task<bool> SubscribeOnAsync(
        MqttConnection connection, IReadOnlyList<MqttSubscription> subscriptions, bool throwOnRefusal, CancellationToken cancellationToken)
    {
        MqttNet.MqttClientSubscribeResult result;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Lifetime);
            result = await connection.SubscribeAsync(subscriptions, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            return false;
        }

        MqttSubscribeException? refusal = null;
        foreach (var item in result.Items)
        {
            var code = (int)item.ResultCode;
            if (code >= 0x80)
            {
                var filter = item.TopicFilter.Topic;
                Log.SubscriptionRefused(_logger, filter, code);
                lock (_gate)
                {
                    _subscriptions.Remove(filter);
                }

                refusal ??= new MqttSubscribeException(
                    $"The broker refused the subscription to '{filter}' with reason 0x{code:X2}"
                    + (result.ReasonString is { Length: > 0 } why ? $": {why}" : "."),
                    filter,
                    (byte)code);
            }
        }

        if (refusal is not null && throwOnRefusal)
        {
            throw refusal;
        }

        return true;
    }

    /// <summary>Runs from <see cref="Start"/> or the first connection to <see cref="DisconnectAsync"/>: connects, notices losses, reconnects.</summary>
    private async Task SuperviseAsync(MqttConnection? connection, CancellationToken cancellationToken)
    {
        var everConnected = connection is not null;
        var failures = 0;
        var delay = TimeSpan.Zero;
        try
        {
            while (true)
            {
                if (connection is not null)
                {
                    var reason = await connection.Closed.WaitAsync(cancellationToken).ConfigureAwait(false);
                    _ready = false;
                    Interlocked.CompareExchange(ref _current, null, connection);
                    connection.Dispose();
                    connection = null;
                    Interlocked.Increment(ref _counters.ConnectionLosses);
                    Log.ConnectionLost(_logger, reason);
                    RaiseStateChanged(new MqttConnectionStateChangedEventArgs(false, false, reason));
                    failures = 0;
                    delay = _backoff.DelayFor(0);
                }

                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }

                var outcome = await EstablishAsync(firstConnection: !everConnected, cancellationToken).ConfigureAwait(false);
                if (outcome.Connection is not { } established)
                {
                    failures++;
                    Interlocked.Increment(ref _counters.ConnectAttemptsFailed);
                    delay = _backoff.DelayFor(failures);
                    LogConnectFailure(outcome, failures, delay);
                    continue;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    established.Dispose();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                connection = established;
                _lastFailure = null;
                Adopt(connection);
                if (everConnected)
                {
                    Interlocked.Increment(ref _counters.Reconnects);
                }

                if (!await ActivateAsync(connection, reconnectAttempts: everConnected ? failures + 1 : 0, cancellationToken).ConfigureAwait(false))
                {
                    connection.Abort();
                }

                everConnected = true;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void LogConnectFailure(ConnectOutcome outcome, int attempt, TimeSpan delay)
    {
        // One clear line per kind of failure; a broker that stays down does not fill the journal.
        var delayMs = (long)delay.TotalMilliseconds;
        if (string.Equals(_lastFailure, outcome.Description, StringComparison.Ordinal))
        {
            Log.ConnectFailedAgain(_logger, attempt, _options.Host, _options.Port, outcome.Description, delayMs);
            return;
        }

        _lastFailure = outcome.Description;
        Log.ConnectFailed(_logger, _options.Host, _options.Port, outcome.Description, delayMs);
    }

    /// <summary>
    /// Feeds one connection from the outbox, up to its in-flight limit. Sends are not awaited here: PUBACKs come back
    /// on MQTTnet's receive loop, and each send gives its slot back however it ends.
    /// </summary>
    private async Task PumpOutboxAsync(MqttConnection connection)
    {
        var token = connection.Lifetime;
        try
        {
            while (true)
            {
                await connection.InFlightSlots.WaitAsync(token).ConfigureAwait(false);
                QueuedPublish? item;
                try
                {
                    while (!_outbox.TryDequeue(out item, out var changed))
                    {
                        await changed.WaitAsync(token).ConfigureAwait(false);
                    }
                }
                catch
                {
                    connection.InFlightSlots.Release();
                    throw;
                }

                _ = SendQueuedAsync(connection, item!);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task SendQueuedAsync(MqttConnection connection, QueuedPublish item)
    {
        Interlocked.Increment(ref _counters.InFlight);
        try
        {
            var message = item.Message;
            if (IsTooLarge(connection, message.Topic, message.Payload.Length, message))
            {
                Interlocked.Increment(ref _counters.QueuedMessagesDropped);
                item.Completion?.TrySetResult();
                return;
            }

            Interlocked.Increment(ref _counters.MessagesSent);
            var result = await connection.PublishAsync(MessageMapping.ToMqttNet(message, message.Payload, connection.IsV5)).ConfigureAwait(false);
            var code = (int)result.ReasonCode;
            if (code >= 0x80)
            {
                Interlocked.Increment(ref _counters.QueuedMessagesDropped);
                Log.PublishRefused(_logger, message.Topic, code, result.ReasonString);
                item.Completion?.TrySetException(new MqttPublishException(
                    $"The broker refused the publication to '{message.Topic}' with reason 0x{code:X2}.", (byte)code, result.ReasonString));
                return;
            }

            Interlocked.Increment(ref _counters.MessagesAcknowledged);
            item.Completion?.TrySetResult();
        }
        catch (Exception e) when (connection.Closed.IsCompleted || e is OperationCanceledException || MqttConnection.IsConnectionFailure(e))
        {
            // The connection went away before PUBACK (or before the send): the message waits for the next one.
            Park(item);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // MQTTnet refused the message itself: sending it again would fail again.
            Interlocked.Increment(ref _counters.QueuedMessagesDropped);
            Log.PublishFailed(_logger, item.Message.Topic, e.Message);
            item.Completion?.TrySetException(e);
        }
        finally
        {
            Interlocked.Decrement(ref _counters.InFlight);
            try
            {
                connection.InFlightSlots.Release();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Writes perishable frames in order; whatever cannot go now is dropped and counted, never kept.</summary>
    private async Task PumpFramesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in _frames.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var connection = _ready ? Volatile.Read(ref _current) : null;
                    if (connection is null || IsTooLarge(connection, frame.Message.Topic, frame.Message.Payload.Length, frame.Message))
                    {
                        Interlocked.Increment(ref _counters.MessagesDropped);
                        continue;
                    }

                    await connection.PublishAsync(MessageMapping.ToMqttNet(frame.Message, frame.Buffer.AsMemory(0, frame.Length), connection.IsV5)).ConfigureAwait(false);
                    Interlocked.Increment(ref _counters.MessagesSent);
                }
                catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _counters.MessagesDropped);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame.Buffer);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        while (_frames.Reader.TryRead(out var left))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
            Interlocked.Increment(ref _counters.MessagesDropped);
        }
    }

    /// <summary>MQTTnet's delivery callback: hands the message over without ever waiting, so nothing behind it stalls.</summary>
    private Task OnReceivedAsync(MqttNet.MqttApplicationMessageReceivedEventArgs args)
    {
        Interlocked.Increment(ref _counters.MessagesReceived);
        var incoming = args.ApplicationMessage;
        var size = incoming.Payload.Length + incoming.Topic.Length;
        if (size > _options.MaximumIncomingPacketSize)
        {
            // MQTT 3.1.1 cannot tell the broker our limit: drop the message, keep the connection (acknowledged, so
            // the broker does not send it again).
            Interlocked.Increment(ref _counters.OversizedMessagesDropped);
            if (Interlocked.Exchange(ref _oversizedLogged, 1) == 0)
            {
                Log.OversizedDropped(_logger, incoming.Topic, size, _options.MaximumIncomingPacketSize);
            }
            else
            {
                Log.OversizedDroppedAgain(_logger, incoming.Topic, size, _options.MaximumIncomingPacketSize);
            }

            return Task.CompletedTask;
        }

        if (_received.Writer.TryWrite(MessageMapping.FromMqttNet(incoming)))
        {
            if (Volatile.Read(ref _receiveDropping) == 1 && Interlocked.Exchange(ref _receiveDropping, 0) == 1)
            {
                Log.ReceiveBufferRecovered(_logger, Interlocked.Read(ref _counters.ReceivedMessagesDropped));
            }

            return Task.CompletedTask;
        }

        Interlocked.Increment(ref _counters.ReceivedMessagesDropped);
        if (Interlocked.Exchange(ref _receiveDropping, 1) == 0)
        {
            Log.ReceiveBufferFull(_logger, _options.ReceiveBufferCapacity);
        }

        return Task.CompletedTask;
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

    /// <summary>A perishable message ready for the wire, its payload in a pooled buffer returned once written.</summary>
    private readonly record struct FrameSend(byte[] Buffer, int Length, MqttMessage Message);
}
