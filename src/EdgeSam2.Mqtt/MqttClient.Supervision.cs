using EdgeSam2.Mqtt.Client;
using MqttNet = MQTTnet;

namespace EdgeSam2.Mqtt;

/// <summary>Connecting, noticing losses and reconnecting with back-off; restoring subscriptions on each connection.</summary>
public sealed partial class MqttClient
{
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
}
