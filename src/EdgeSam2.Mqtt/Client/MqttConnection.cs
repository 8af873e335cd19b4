using System.Threading.Channels;
using EdgeSam2.Mqtt.Packets;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Mqtt.Client;

/// <summary>
/// One live broker connection: a read loop, a write loop fed by a bounded send buffer, and a keep-alive loop.
/// It never reconnects; when it ends, <see cref="Closed"/> completes with the reason and the client decides what next.
/// </summary>
internal sealed class MqttConnection
{
    private const int WriteBatchBytes = 32 * 1024;

    private readonly Stream _stream;
    private readonly FrameReader _frames;
    private readonly Channel<OutgoingPacket> _send;
    private readonly ChannelWriter<MqttMessage> _received;
    private readonly ClientCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Dictionary<ushort, QueuedPublish> _inflight = [];
    private readonly Dictionary<ushort, TaskCompletionSource<SubAck?>> _subscribes = [];
    private readonly SemaphoreSlim _quota;
    private readonly TimeSpan _keepAlive;
    private readonly uint _maximumPacketSize;
    private Task _writeLoop = Task.CompletedTask;
    private ushort _lastPacketId;
    private long _sequence;
    private bool _isClosed;
    private long _lastSent;
    private long _lastReceived;
    private long _pingSentAt;

    public MqttConnection(
        ConnectOutcome outcome,
        MqttClientOptions options,
        ChannelWriter<MqttMessage> received,
        ClientCounters counters,
        ILogger logger,
        TimeProvider time)
    {
        _stream = outcome.Stream!;
        _frames = outcome.Frames!;
        var connAck = outcome.ConnAck!;
        Version = outcome.Version;
        SessionPresent = connAck.SessionPresent;
        AssignedClientIdentifier = connAck.AssignedClientIdentifier;
        _keepAlive = connAck.ServerKeepAlive is { } serverKeepAlive ? TimeSpan.FromSeconds(serverKeepAlive) : options.KeepAlive;
        _maximumPacketSize = connAck.MaximumPacketSize ?? uint.MaxValue;
        _quota = new SemaphoreSlim(connAck.ReceiveMaximum, connAck.ReceiveMaximum);
        _received = received;
        _counters = counters;
        _logger = logger;
        _time = time;
        _send = Channel.CreateBounded<OutgoingPacket>(new BoundedChannelOptions(options.SendBufferCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public MqttProtocolVersion Version { get; }

    public bool SessionPresent { get; }

    public string? AssignedClientIdentifier { get; }

    /// <summary>Completes with a human-readable reason once the connection is gone, whoever ended it.</summary>
    public Task<string> Closed => _closed.Task;

    public void Start()
    {
        var now = _time.GetTimestamp();
        Volatile.Write(ref _lastSent, now);
        Volatile.Write(ref _lastReceived, now);
        _writeLoop = Task.Run(WriteLoopAsync);
        _ = Task.Run(ReadLoopAsync);
        if (_keepAlive > TimeSpan.Zero)
        {
            _ = Task.Run(KeepAliveLoopAsync);
        }
    }

    /// <summary>Queues a QoS 0 publication without waiting; false when the send buffer is full or the connection is gone.</summary>
    public bool TrySendQos0(MqttMessage message)
    {
        var packet = PublishPacket.Encode(message, 0, false, Version);
        if (!FitsBroker(message, packet) || !_send.Writer.TryWrite(packet))
        {
            packet.Return();
            return false;
        }

        Interlocked.Increment(ref _counters.MessagesSent);
        return true;
    }

    /// <summary>
    /// Sends a QoS 1 publication once the broker's receive maximum allows. False when the connection is gone before the
    /// message was registered (the caller keeps it); once registered, a loss hands it back via <see cref="Close"/>.
    /// </summary>
    public async ValueTask<bool> SendQos1Async(QueuedPublish item, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        try
        {
            await _quota.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return false;
        }

        if (!TryRegister(item, out var packetId, out var packet))
        {
            return false;
        }

        if (packet.Buffer is null || _send.Writer.TryWrite(packet))
        {
            return true;
        }

        try
        {
            await _send.Writer.WriteAsync(packet, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            // The publisher gave up before the message reached the send buffer: withdraw it so it neither holds a
            // receive-maximum slot nor goes out later.
            packet.Return();
            lock (_gate)
            {
                _inflight.Remove(packetId);
            }

            _quota.Release();
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // Still registered: Close hands it back for the next connection.
            packet.Return();
        }

        return true;
    }

    /// <summary>The non-waiting <see cref="SendQos1Async"/>: false when the receive maximum or the send buffer is exhausted.</summary>
    public bool TrySendQos1(QueuedPublish item)
    {
        if (!_quota.Wait(0, CancellationToken.None))
        {
            return false;
        }

        if (!TryRegister(item, out _, out var packet))
        {
            return false;
        }

        if (packet.Buffer is not null && !_send.Writer.TryWrite(packet))
        {
            // Registered already: it goes out again after a reconnect, like any unacknowledged message.
            packet.Return();
        }

        return true;
    }

    /// <summary>
    /// Gives the message a packet identifier and encodes it; the quota is held by the caller. A message too large for
    /// the broker is settled here (failed and counted) and comes back with an empty packet.
    /// </summary>
    private bool TryRegister(QueuedPublish item, out ushort id, out OutgoingPacket packet)
    {
        lock (_gate)
        {
            if (_isClosed)
            {
                _quota.Release();
                packet = default;
                id = 0;
                return false;
            }

            id = NextPacketId();
            packet = PublishPacket.Encode(item.Message, id, item.SendCount > 0, Version);
            if (!FitsBroker(item.Message, packet))
            {
                packet.Return();
                packet = default;
                _quota.Release();
                Interlocked.Increment(ref _counters.QueuedMessagesDropped);
                item.Completion?.TrySetException(new MqttPublishException(
                    $"Message to '{item.Message.Topic}' is larger than the broker's maximum packet size {_maximumPacketSize}.", 0x95, null));
                return true;
            }

            item.SendCount++;
            item.Sequence = ++_sequence;
            _inflight[id] = item;
        }

        Interlocked.Increment(ref _counters.MessagesSent);
        return true;
    }

    /// <summary>Sends SUBSCRIBE and waits for SUBACK; null when the connection ended first.</summary>
    public async Task<SubAck?> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<SubAck?>(TaskCreationOptions.RunContinuationsAsynchronously);
        ushort id;
        lock (_gate)
        {
            if (_isClosed)
            {
                return null;
            }

            id = NextPacketId();
            _subscribes[id] = completion;
        }

        var packet = AckPackets.EncodeSubscribe(id, subscriptions, Version);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        try
        {
            await _send.Writer.WriteAsync(packet, linked.Token).ConfigureAwait(false);
            return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is OperationCanceledException && _stop.IsCancellationRequested) || ex is ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Writes what is buffered, then DISCONNECT, then closes; gives up after <paramref name="timeout"/>.</summary>
    public async Task DisconnectAsync(byte reasonCode, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var packet = AckPackets.EncodeDisconnect(reasonCode, Version);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        limit.CancelAfter(timeout);
        try
        {
            await _send.Writer.WriteAsync(packet, limit.Token).ConfigureAwait(false);
            _send.Writer.TryComplete();
            await _writeLoop.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // The connection is going away either way; a missing DISCONNECT only means the broker publishes the will.
        }
        finally
        {
            Abort("disconnected by the client");
        }
    }

    /// <summary>Marks the connection closed and returns the QoS 1 messages it never saw acknowledged, oldest first.</summary>
    public List<QueuedPublish> Close(string reason)
    {
        Abort(reason);
        List<QueuedPublish> unacknowledged;
        lock (_gate)
        {
            _isClosed = true;
            unacknowledged = [.. _inflight.Values];
            _inflight.Clear();
            foreach (var pending in _subscribes.Values)
            {
                pending.TrySetResult(null);
            }

            _subscribes.Clear();
        }

        unacknowledged.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return unacknowledged;
    }

    /// <summary>Drops the transport without DISCONNECT, as a crash would; the broker then publishes the will.</summary>
    public void Abort(string reason)
    {
        if (!_closed.TrySetResult(reason))
        {
            return;
        }

        _send.Writer.TryComplete();
        _stop.Cancel();
        _stream.Dispose();
        lock (_gate)
        {
            foreach (var pending in _subscribes.Values)
            {
                pending.TrySetResult(null);
            }
        }
    }

    private bool FitsBroker(MqttMessage message, OutgoingPacket packet)
    {
        if ((uint)packet.Length <= _maximumPacketSize)
        {
            return true;
        }

        Log.PacketTooLarge(_logger, message.Topic, packet.Length, _maximumPacketSize);
        return false;
    }

    private ushort NextPacketId()
    {
        // Caller holds _gate. Skips 0 (invalid) and identifiers still awaiting their acknowledgement.
        do
        {
            _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
        }
        while (_inflight.ContainsKey(_lastPacketId) || _subscribes.ContainsKey(_lastPacketId));

        return _lastPacketId;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var frame = await _frames.ReadAsync(_stop.Token).ConfigureAwait(false);
                switch (frame.Status)
                {
                    case FrameStatus.Closed:
                        Abort("the broker closed the connection");
                        return;
                    case FrameStatus.Malformed:
                        Abort("malformed packet from the broker");
                        return;
                    case FrameStatus.TooLarge:
                        Abort($"the broker sent a packet of {frame.Header.TotalLength} bytes, above the client's maximum");
                        return;
                }

                Volatile.Write(ref _lastReceived, _time.GetTimestamp());
                var error = await HandleAsync(frame).ConfigureAwait(false);
                if (error is not null)
                {
                    Abort(error);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Any failure of the transport ends this connection; the client decides whether to reconnect.
            Abort($"read failed: {ex.Message}");
        }
        finally
        {
            _frames.Dispose();
        }
    }

    /// <summary>Acts on one packet; returns why the connection must end, or null.</summary>
    private async ValueTask<string?> HandleAsync(Frame frame)
    {
        switch (frame.Header.Type)
        {
            case PacketType.Publish:
            {
                var error = PublishPacket.TryDecode(frame.Header.Flags, frame.Body.Span, Version, out var publish);
                if (error != MqttDecodeError.None)
                {
                    return $"malformed PUBLISH from the broker ({error})";
                }

                Interlocked.Increment(ref _counters.MessagesReceived);
                if (publish.Message.Qos == MqttQos.AtMostOnce)
                {
                    if (!_received.TryWrite(publish.Message))
                    {
                        Interlocked.Increment(ref _counters.ReceivedMessagesDropped);
                    }

                    return null;
                }

                // Acknowledge only once the message is in the application's hands: a slow reader slows the broker down.
                await _received.WriteAsync(publish.Message, _stop.Token).ConfigureAwait(false);
                await _send.Writer.WriteAsync(AckPackets.EncodePubAck(publish.PacketId), _stop.Token).ConfigureAwait(false);
                return null;
            }

            case PacketType.PubAck:
            {
                var error = AckPackets.TryDecodePubAck(frame.Body.Span, Version, out var ack);
                if (error != MqttDecodeError.None)
                {
                    return $"malformed PUBACK from the broker ({error})";
                }

                CompletePublish(ack);
                return null;
            }

            case PacketType.SubAck:
            {
                var error = AckPackets.TryDecodeSubAck(frame.Body.Span, Version, out var ack);
                if (error != MqttDecodeError.None)
                {
                    return $"malformed SUBACK from the broker ({error})";
                }

                TaskCompletionSource<SubAck?>? pending;
                lock (_gate)
                {
                    _subscribes.Remove(ack.PacketId, out pending);
                }

                pending?.TrySetResult(ack);
                return null;
            }

            case PacketType.PingResp:
                Volatile.Write(ref _pingSentAt, 0);
                return null;

            case PacketType.Disconnect:
            {
                var error = AckPackets.TryDecodeDisconnect(frame.Body.Span, Version, out var disconnect);
                return error != MqttDecodeError.None
                    ? $"malformed DISCONNECT from the broker ({error})"
                    : $"the broker disconnected: {ConnAckPacket.Describe(disconnect.ReasonCode, Version)} (0x{disconnect.ReasonCode:X2}) {disconnect.ReasonString}";
            }

            default:
                return $"unexpected {frame.Header.Type} packet from the broker";
        }
    }

    private void CompletePublish(PubAck ack)
    {
        QueuedPublish? item;
        lock (_gate)
        {
            _inflight.Remove(ack.PacketId, out item);
        }

        if (item is null)
        {
            return;
        }

        _quota.Release();
        if (ack.ReasonCode >= 0x80)
        {
            Interlocked.Increment(ref _counters.QueuedMessagesDropped);
            Log.PublishRefused(_logger, item.Message.Topic, ack.ReasonCode, ack.ReasonString);
            item.Completion?.TrySetException(new MqttPublishException(
                $"The broker refused the message to '{item.Message.Topic}' with reason 0x{ack.ReasonCode:X2}"
                + (ack.ReasonString is { } why ? $": {why}" : "."),
                ack.ReasonCode,
                ack.ReasonString));
            return;
        }

        Interlocked.Increment(ref _counters.MessagesAcknowledged);
        item.Completion?.TrySetResult();
    }

    private async Task WriteLoopAsync()
    {
        var reader = _send.Reader;
        var batch = new byte[WriteBatchBytes];
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                // Coalesce what is queued into one write: one syscall (and one TLS record) per burst instead of per packet.
                var filled = 0;
                while (reader.TryRead(out var packet))
                {
                    try
                    {
                        if (packet.Length > batch.Length - filled && filled > 0)
                        {
                            await _stream.WriteAsync(batch.AsMemory(0, filled), _stop.Token).ConfigureAwait(false);
                            filled = 0;
                        }

                        if (packet.Length > batch.Length)
                        {
                            await _stream.WriteAsync(packet.Buffer.AsMemory(packet.Offset, packet.Length), _stop.Token).ConfigureAwait(false);
                        }
                        else
                        {
                            packet.Span.CopyTo(batch.AsSpan(filled));
                            filled += packet.Length;
                        }
                    }
                    finally
                    {
                        packet.Return();
                    }
                }

                if (filled > 0)
                {
                    await _stream.WriteAsync(batch.AsMemory(0, filled), _stop.Token).ConfigureAwait(false);
                }

                await _stream.FlushAsync(_stop.Token).ConfigureAwait(false);
                Volatile.Write(ref _lastSent, _time.GetTimestamp());
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Abort($"write failed: {ex.Message}");
        }
        finally
        {
            while (reader.TryRead(out var leftover))
            {
                leftover.Return();
            }
        }
    }

    private async Task KeepAliveLoopAsync()
    {
        var tick = _keepAlive / 4;
        var pingAfter = _keepAlive * 0.75;
        var deadAfter = _keepAlive * 1.5;
        try
        {
            while (true)
            {
                await Task.Delay(tick, _time, _stop.Token).ConfigureAwait(false);
                var now = _time.GetTimestamp();
                var silent = _time.GetElapsedTime(Volatile.Read(ref _lastReceived), now);
                if (Volatile.Read(ref _pingSentAt) != 0)
                {
                    if (silent >= deadAfter)
                    {
                        Abort($"no PINGRESP: the broker was silent for {silent.TotalSeconds:0.#} s (keep-alive {_keepAlive.TotalSeconds:0.#} s)");
                        return;
                    }

                    continue;
                }

                // Ping when we have not written for a while (the broker's rule) or have not heard anything (ours:
                // a half-open connection that only carries outgoing frames would otherwise go unnoticed).
                var idle = _time.GetElapsedTime(Volatile.Read(ref _lastSent), now);
                if (idle >= pingAfter || silent >= pingAfter)
                {
                    var ping = AckPackets.EncodePingReq();
                    if (_send.Writer.TryWrite(ping))
                    {
                        Volatile.Write(ref _pingSentAt, now);
                    }
                    else
                    {
                        ping.Return();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
