namespace EdgeSam2.Mqtt.Packets;

/// <summary>A decoded CONNACK with the MQTT 5 properties the client acts on.</summary>
internal sealed class ConnAckPacket
{
    /// <summary>3.1.1 return code 1 and MQTT 5 reason 0x84: the broker does not speak the requested version.</summary>
    public const byte UnacceptableProtocolVersion311 = 0x01;
    public const byte UnsupportedProtocolVersion = 0x84;

    public bool SessionPresent { get; private init; }

    public byte ReasonCode { get; private init; }

    public string? ReasonString { get; private set; }

    public string? AssignedClientIdentifier { get; private set; }

    public ushort? ServerKeepAlive { get; private set; }

    public uint? MaximumPacketSize { get; private set; }

    /// <summary>How many unacknowledged QoS 1 publications the broker accepts at once; 65535 when unsaid.</summary>
    public ushort ReceiveMaximum { get; private set; } = ushort.MaxValue;

    public ushort TopicAliasMaximum { get; private set; }

    public byte MaximumQos { get; private set; } = 2;

    public bool RetainAvailable { get; private set; } = true;

    public bool IsSuccess => ReasonCode == 0;

    /// <summary>
    /// Decodes a CONNACK body. A two-byte body is accepted in MQTT 5 mode too: that is how a 3.1.1-only broker answers
    /// a v5 CONNECT, and the caller needs its return code to fall back.
    /// </summary>
    public static MqttDecodeError TryDecode(ReadOnlySpan<byte> body, MqttProtocolVersion version, out ConnAckPacket? packet)
    {
        packet = null;
        var r = new PacketReader(body);
        var flags = r.ReadByte();
        var code = r.ReadByte();
        if (r.Error != MqttDecodeError.None)
        {
            return r.Error;
        }

        if ((flags & 0xFE) != 0)
        {
            return MqttDecodeError.InvalidFlags;
        }

        var result = new ConnAckPacket { SessionPresent = (flags & 1) != 0, ReasonCode = code };
        if (version == MqttProtocolVersion.V500 && r.HasMore)
        {
            var props = new PropertyReader(ref r);
            while (props.TryNext(out var id))
            {
                switch (id)
                {
                    case PropertyId.ReasonString: result.ReasonString = props.ReadString(); break;
                    case PropertyId.AssignedClientIdentifier: result.AssignedClientIdentifier = props.ReadString(); break;
                    case PropertyId.ServerKeepAlive: result.ServerKeepAlive = props.ReadUInt16(); break;
                    case PropertyId.MaximumPacketSize: result.MaximumPacketSize = props.ReadUInt32(); break;
                    case PropertyId.ReceiveMaximum: result.ReceiveMaximum = props.ReadUInt16(); break;
                    case PropertyId.TopicAliasMaximum: result.TopicAliasMaximum = props.ReadUInt16(); break;
                    case PropertyId.MaximumQos: result.MaximumQos = props.ReadByte(); break;
                    case PropertyId.RetainAvailable: result.RetainAvailable = props.ReadByte() != 0; break;
                    default: props.Skip(id); break;
                }
            }

            if (props.Error != MqttDecodeError.None)
            {
                return props.Error;
            }

            if (result.ReceiveMaximum == 0 || result.MaximumPacketSize == 0)
            {
                return MqttDecodeError.ProtocolError;
            }
        }

        if (r.HasMore)
        {
            return MqttDecodeError.ProtocolError;
        }

        packet = result;
        return MqttDecodeError.None;
    }

    /// <summary>Human-readable meaning of a CONNACK code, for exceptions and logs.</summary>
    public static string Describe(byte code, MqttProtocolVersion version) => version == MqttProtocolVersion.V311
        ? code switch
        {
            0 => "accepted",
            1 => "unacceptable protocol version",
            2 => "identifier rejected",
            3 => "server unavailable",
            4 => "bad user name or password",
            5 => "not authorized",
            _ => "unknown return code",
        }
        : code switch
        {
            0x00 => "success",
            0x80 => "unspecified error",
            0x81 => "malformed packet",
            0x82 => "protocol error",
            0x83 => "implementation specific error",
            0x84 => "unsupported protocol version",
            0x85 => "client identifier not valid",
            0x86 => "bad user name or password",
            0x87 => "not authorized",
            0x88 => "server unavailable",
            0x89 => "server busy",
            0x8A => "banned",
            0x8C => "bad authentication method",
            0x90 => "topic name invalid",
            0x95 => "packet too large",
            0x97 => "quota exceeded",
            0x99 => "payload format invalid",
            0x9A => "retain not supported",
            0x9B => "QoS not supported",
            0x9C => "use another server",
            0x9D => "server moved",
            0x9F => "connection rate exceeded",
            _ => "unknown reason code",
        };
}
