using EdgeSam2.Mqtt.Client;
using MqttNet = MQTTnet;

namespace EdgeSam2.Mqtt;

/// <summary>Received messages: handed to the bounded channel without ever waiting.</summary>
public sealed partial class MqttClient
{
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
}
