namespace EdgeSam2.Mqtt.Packets;

/// <summary>A decoded PUBACK, SUBACK or DISCONNECT: the reason the broker gave and its optional explanation.</summary>
internal readonly record struct PubAck(ushort PacketId, byte ReasonCode, string? ReasonString);

internal readonly record struct SubAck(ushort PacketId, byte[] ReasonCodes, string? ReasonString);

internal readonly record struct Disconnect(byte ReasonCode, string? ReasonString);

/// <summary>Acknowledgement, subscription and session-control packets (specification 3.4, 3.8, 3.9, 3.12–3.14).</summary>
internal static class AckPackets
{
    public static OutgoingPacket EncodePubAck(ushort packetId)
    {
        // Reason 0x00 with no properties may be left out in MQTT 5, which makes both versions' PUBACK identical.
        var w = PacketWriter.Start(4);
        w.WriteUInt16(packetId);
        return w.Complete(PacketType.PubAck);
    }

    public static OutgoingPacket EncodePingReq() => PacketWriter.Start(0).Complete(PacketType.PingReq);

    public static OutgoingPacket EncodeSubscribe(ushort packetId, IReadOnlyList<MqttSubscription> subscriptions, MqttProtocolVersion version)
    {
        var w = PacketWriter.Start(64);
        w.WriteUInt16(packetId);
        if (version == MqttProtocolVersion.V500)
        {
            var mark = w.BeginProperties();
            w.EndProperties(mark);
        }

        for (var i = 0; i < subscriptions.Count; i++)
        {
            var subscription = subscriptions[i];
            w.WriteString(subscription.TopicFilter);
            var options = (byte)subscription.MaximumQos;
            if (version == MqttProtocolVersion.V500 && subscription.NoLocal)
            {
                options |= 0x04;
            }

            w.WriteByte(options);
        }

        // SUBSCRIBE's reserved flags must be 0010.
        return w.Complete(PacketType.Subscribe, 0x02);
    }

    public static OutgoingPacket EncodeDisconnect(byte reasonCode, MqttProtocolVersion version)
    {
        var w = PacketWriter.Start(4);
        if (version == MqttProtocolVersion.V500 && reasonCode != 0)
        {
            w.WriteByte(reasonCode);
        }

        return w.Complete(PacketType.Disconnect);
    }

    public static MqttDecodeError TryDecodePubAck(ReadOnlySpan<byte> body, MqttProtocolVersion version, out PubAck ack)
    {
        ack = default;
        var r = new PacketReader(body);
        var id = r.ReadUInt16();
        byte reason = 0;
        string? reasonString = null;
        if (version == MqttProtocolVersion.V500 && r.HasMore)
        {
            reason = r.ReadByte();
            if (r.HasMore && !TryReadReasonString(ref r, out reasonString))
            {
                return r.Error;
            }
        }

        if (r.Error != MqttDecodeError.None)
        {
            return r.Error;
        }

        if (r.HasMore || id == 0)
        {
            return MqttDecodeError.ProtocolError;
        }

        ack = new PubAck(id, reason, reasonString);
        return MqttDecodeError.None;
    }

    public static MqttDecodeError TryDecodeSubAck(ReadOnlySpan<byte> body, MqttProtocolVersion version, out SubAck ack)
    {
        ack = default;
        var r = new PacketReader(body);
        var id = r.ReadUInt16();
        string? reasonString = null;
        if (version == MqttProtocolVersion.V500 && !TryReadReasonString(ref r, out reasonString))
        {
            return r.Error;
        }

        var codes = r.ReadToEnd();
        if (r.Error != MqttDecodeError.None)
        {
            return r.Error;
        }

        if (codes.IsEmpty || id == 0)
        {
            return MqttDecodeError.ProtocolError;
        }

        ack = new SubAck(id, codes.ToArray(), reasonString);
        return MqttDecodeError.None;
    }

    public static MqttDecodeError TryDecodeDisconnect(ReadOnlySpan<byte> body, MqttProtocolVersion version, out Disconnect disconnect)
    {
        disconnect = default;
        if (version != MqttProtocolVersion.V500)
        {
            // A 3.1.1 broker never sends DISCONNECT.
            return MqttDecodeError.ProtocolError;
        }

        var r = new PacketReader(body);
        var reason = r.HasMore ? r.ReadByte() : (byte)0;
        string? reasonString = null;
        if (r.HasMore && !TryReadReasonString(ref r, out reasonString))
        {
            return r.Error;
        }

        if (r.HasMore)
        {
            return MqttDecodeError.ProtocolError;
        }

        disconnect = new Disconnect(reason, reasonString);
        return MqttDecodeError.None;
    }

    /// <summary>Reads a property block keeping only the reason string; false with the reader's error when malformed.</summary>
    private static bool TryReadReasonString(ref PacketReader r, out string? reasonString)
    {
        reasonString = null;
        var props = new PropertyReader(ref r);
        while (props.TryNext(out var id))
        {
            if (id == PropertyId.ReasonString)
            {
                reasonString = props.ReadString();
            }
            else
            {
                props.Skip(id);
            }
        }

        if (props.Error != MqttDecodeError.None)
        {
            r.Fail(props.Error);
            return false;
        }

        return r.Error == MqttDecodeError.None;
    }
}
