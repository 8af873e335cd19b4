namespace EdgeSam2.Mqtt.Packets;

/// <summary>A decoded PUBLISH: the message plus what the client needs to acknowledge it.</summary>
internal readonly record struct IncomingPublish(MqttMessage Message, ushort PacketId, bool Duplicate);

/// <summary>PUBLISH encoding and decoding (specification 3.3).</summary>
internal static class PublishPacket
{
    public static OutgoingPacket Encode(MqttMessage message, ushort packetId, bool duplicate, MqttProtocolVersion version)
    {
        var w = PacketWriter.Start(message.Topic.Length + message.Payload.Length + 32);
        w.WriteString(message.Topic);
        if (message.Qos != MqttQos.AtMostOnce)
        {
            w.WriteUInt16(packetId);
        }

        if (version == MqttProtocolVersion.V500)
        {
            var mark = w.BeginProperties();
            WriteMessageProperties(w, message);
            w.EndProperties(mark);
        }

        w.WriteBytes(message.Payload.Span);
        var flags = (byte)(((byte)message.Qos << 1) | (message.Retain ? 1 : 0) | (duplicate ? 0x08 : 0));
        return w.Complete(PacketType.Publish, flags);
    }

    /// <summary>Properties shared by PUBLISH and the will (which uses the same set plus a delay).</summary>
    public static void WriteMessageProperties(PacketWriter w, MqttMessage message)
    {
        if (message.PayloadIsUtf8)
        {
            w.WriteProperty(PropertyId.PayloadFormatIndicator, (byte)1);
        }

        if (message.MessageExpiryInterval is { } expiry)
        {
            w.WriteProperty(PropertyId.MessageExpiryInterval, expiry);
        }

        if (message.ContentType is { } contentType)
        {
            w.WriteProperty(PropertyId.ContentType, contentType);
        }

        if (message.ResponseTopic is { } responseTopic)
        {
            w.WriteProperty(PropertyId.ResponseTopic, responseTopic);
        }

        if (message.CorrelationData is { } correlation)
        {
            w.WriteBinaryProperty(PropertyId.CorrelationData, correlation.Span);
        }

        w.WriteUserProperties(message.UserProperties);
    }

    public static MqttDecodeError TryDecode(byte flags, ReadOnlySpan<byte> body, MqttProtocolVersion version, out IncomingPublish publish)
    {
        publish = default;
        var qos = (flags >> 1) & 0x03;
        if (qos == 3)
        {
            return MqttDecodeError.InvalidFlags;
        }

        var r = new PacketReader(body);
        var topic = r.ReadString();
        ushort packetId = 0;
        if (qos > 0)
        {
            packetId = r.ReadUInt16();
            if (r.Error == MqttDecodeError.None && packetId == 0)
            {
                return MqttDecodeError.ProtocolError;
            }
        }

        string? responseTopic = null;
        string? contentType = null;
        byte[]? correlation = null;
        uint? expiry = null;
        var utf8 = false;
        List<MqttUserProperty>? userProperties = null;
        if (version == MqttProtocolVersion.V500)
        {
            var props = new PropertyReader(ref r);
            while (props.TryNext(out var id))
            {
                switch (id)
                {
                    case PropertyId.PayloadFormatIndicator: utf8 = props.ReadByte() == 1; break;
                    case PropertyId.MessageExpiryInterval: expiry = props.ReadUInt32(); break;
                    case PropertyId.ContentType: contentType = props.ReadString(); break;
                    case PropertyId.ResponseTopic: responseTopic = props.ReadString(); break;
                    case PropertyId.CorrelationData: correlation = props.ReadBinary().ToArray(); break;
                    case PropertyId.UserProperty: (userProperties ??= []).Add(props.ReadUserProperty()); break;
                    case PropertyId.SubscriptionIdentifier: props.ReadVariableByteInteger(); break;

                    // The client announces Topic Alias Maximum 0, so a broker that sends an alias breaks the protocol.
                    case PropertyId.TopicAlias: return MqttDecodeError.ProtocolError;
                    default: props.Skip(id); break;
                }
            }

            if (props.Error != MqttDecodeError.None)
            {
                return props.Error;
            }
        }

        var payload = r.ReadToEnd();
        if (r.Error != MqttDecodeError.None)
        {
            return r.Error;
        }

        if (topic.Length == 0 || topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            return MqttDecodeError.ProtocolError;
        }

        var message = new MqttMessage(topic, payload.ToArray(), (MqttQos)qos, (flags & 1) != 0)
        {
            ResponseTopic = responseTopic,
            CorrelationData = correlation,
            ContentType = contentType,
            UserProperties = userProperties,
            MessageExpiryInterval = expiry,
            PayloadIsUtf8 = utf8,
        };
        publish = new IncomingPublish(message, packetId, (flags & 0x08) != 0);
        return MqttDecodeError.None;
    }
}
