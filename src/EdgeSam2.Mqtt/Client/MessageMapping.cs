using System.Buffers;
using System.Text;
using MqttNet = MQTTnet;
using MqttNetPackets = MQTTnet.Packets;
using MqttNetProtocol = MQTTnet.Protocol;

namespace EdgeSam2.Mqtt.Client;

/// <summary>Our message type to MQTTnet's and back; the seam keeps MQTTnet's types out of the agent.</summary>
internal static class MessageMapping
{
    /// <summary>Fixed header, topic length and packet id: what a PUBLISH adds to its topic and payload, bar properties.</summary>
    private const int PublishOverhead = 16;

    /// <summary>MQTTnet's message; on 3.1.1 (<paramref name="v5"/> false) without the MQTT 5 properties, which it would refuse.</summary>
    public static MqttNet.MqttApplicationMessage ToMqttNet(MqttMessage message, ReadOnlyMemory<byte> payload, bool v5)
    {
        var result = new MqttNet.MqttApplicationMessage
        {
            Topic = message.Topic,
            Payload = new ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = message.Qos == MqttQos.AtLeastOnce
                ? MqttNetProtocol.MqttQualityOfServiceLevel.AtLeastOnce
                : MqttNetProtocol.MqttQualityOfServiceLevel.AtMostOnce,
            Retain = message.Retain,
        };
        if (!v5)
        {
            return result;
        }

        result.ResponseTopic = message.ResponseTopic;
        result.CorrelationData = message.CorrelationData?.ToArray();
        result.ContentType = message.ContentType;
        result.MessageExpiryInterval = message.MessageExpiryInterval ?? 0;
        result.PayloadFormatIndicator = message.PayloadIsUtf8
            ? MqttNetProtocol.MqttPayloadFormatIndicator.CharacterData
            : MqttNetProtocol.MqttPayloadFormatIndicator.Unspecified;
        if (message.UserProperties is { Count: > 0 } properties)
        {
            result.UserProperties = new List<MqttNetPackets.MqttUserProperty>(properties.Count);
            foreach (var property in properties)
            {
                result.UserProperties.Add(new MqttNetPackets.MqttUserProperty(property.Name, new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(property.Value))));
            }
        }

        return result;
    }

    /// <summary>A received message, payload copied: MQTTnet may reuse its buffers once the handler returns.</summary>
    public static MqttMessage FromMqttNet(MqttNet.MqttApplicationMessage message)
    {
        List<MqttUserProperty>? properties = null;
        if (message.UserProperties is { Count: > 0 } received)
        {
            properties = new List<MqttUserProperty>(received.Count);
            foreach (var property in received)
            {
                properties.Add(new MqttUserProperty(property.Name, Encoding.UTF8.GetString(property.ValueBuffer.Span)));
            }
        }

        return new MqttMessage(
            message.Topic,
            message.Payload.ToArray(),
            message.QualityOfServiceLevel == MqttNetProtocol.MqttQualityOfServiceLevel.AtMostOnce ? MqttQos.AtMostOnce : MqttQos.AtLeastOnce,
            message.Retain)
        {
            ResponseTopic = message.ResponseTopic,
            CorrelationData = message.CorrelationData,
            ContentType = message.ContentType,
            UserProperties = properties,
            MessageExpiryInterval = message.MessageExpiryInterval == 0 ? null : message.MessageExpiryInterval,
            PayloadIsUtf8 = message.PayloadFormatIndicator == MqttNetProtocol.MqttPayloadFormatIndicator.CharacterData,
        };
    }

    /// <summary>An upper estimate of a message's packet size, to compare with a maximum packet size.</summary>
    public static long EstimatedPacketSize(string topic, long payloadLength, int propertiesLength) =>
        PublishOverhead + (topic.Length * 3L) + payloadLength + propertiesLength;

    /// <summary>The bytes our MQTT 5 properties add (roughly: they only matter next to a size limit).</summary>
    public static int PropertiesLength(MqttMessage message)
    {
        var length = (message.ResponseTopic?.Length ?? 0) * 3 + (message.CorrelationData?.Length ?? 0) + (message.ContentType?.Length ?? 0) * 3;
        if (message.UserProperties is { } properties)
        {
            foreach (var property in properties)
            {
                length += (property.Name.Length + property.Value.Length) * 3 + 5;
            }
        }

        return length + 16;
    }
}
