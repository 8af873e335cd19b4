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
public sealed partial class MqttClient : IMqttClient
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
