using System.Text;

namespace EdgeSam2.Mqtt.Packets;

/// <summary>What goes into a CONNECT beyond the options: the version being tried and this attempt's session flag.</summary>
internal readonly record struct ConnectRequest(
    MqttProtocolVersion Version,
    string ClientId,
    bool CleanStart,
    ushort KeepAliveSeconds,
    string? Username,
    string? Password,
    MqttMessage? Will,
    uint SessionExpiryInterval,
    uint MaximumPacketSize);

/// <summary>CONNECT encoding (specification 3.1 for MQTT 5, 3.1 of 3.1.1).</summary>
internal static class ConnectPacket
{
    public static OutgoingPacket Encode(in ConnectRequest request)
    {
        var v5 = request.Version == MqttProtocolVersion.V500;
        var w = PacketWriter.Start(128 + (request.Will?.Payload.Length ?? 0));
        w.WriteString("MQTT");
        w.WriteByte((byte)request.Version);

        byte flags = 0;
        if (request.CleanStart)
        {
            flags |= 0x02;
        }

        if (request.Will is { } will)
        {
            flags |= (byte)(0x04 | ((byte)will.Qos << 3));
            if (will.Retain)
            {
                flags |= 0x20;
            }
        }

        if (request.Password is not null)
        {
            flags |= 0x40;
        }

        if (request.Username is not null)
        {
            flags |= 0x80;
        }

        w.WriteByte(flags);
        w.WriteUInt16(request.KeepAliveSeconds);

        if (v5)
        {
            var mark = w.BeginProperties();
            if (request.SessionExpiryInterval != 0)
            {
                w.WriteProperty(PropertyId.SessionExpiryInterval, request.SessionExpiryInterval);
            }

            w.WriteProperty(PropertyId.MaximumPacketSize, request.MaximumPacketSize);
            w.EndProperties(mark);
        }

        w.WriteString(request.ClientId);
        if (request.Will is { } lastWill)
        {
            if (v5)
            {
                var mark = w.BeginProperties();
                PublishPacket.WriteMessageProperties(w, lastWill);
                w.EndProperties(mark);
            }

            w.WriteString(lastWill.Topic);
            w.WriteBinary(lastWill.Payload.Span);
        }

        if (request.Username is not null)
        {
            w.WriteString(request.Username);
        }

        if (request.Password is not null)
        {
            w.WriteBinary(Encoding.UTF8.GetBytes(request.Password));
        }

        return w.Complete(PacketType.Connect);
    }
}
