using System.Buffers;
using EdgeSam2.Mqtt.Client;

namespace EdgeSam2.Mqtt;

/// <summary>The outbox pump (QoS 1, pipelined up to the in-flight limit) and the frame pump (perishable QoS 0).</summary>
public sealed partial class MqttClient
{
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
}
