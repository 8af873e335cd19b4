namespace EdgeSam2.Mqtt.Packets;

/// <summary>
/// Walks an MQTT 5 property block: decoders read the properties they care about and <see cref="Skip"/> the rest,
/// which still checks that each one is well-formed for its identifier.
/// </summary>
internal ref struct PropertyReader
{
    private PacketReader _reader;

    /// <summary>Reads the block's length prefix from <paramref name="outer"/> and consumes the block.</summary>
    public PropertyReader(ref PacketReader outer)
    {
        var length = outer.ReadVariableByteInteger();
        _reader = outer.ReadSlice(length);
    }

    public readonly MqttDecodeError Error => _reader.Error;

    public bool TryNext(out PropertyId id)
    {
        id = 0;
        if (!_reader.HasMore)
        {
            return false;
        }

        var raw = _reader.ReadVariableByteInteger();
        if (_reader.Error != MqttDecodeError.None)
        {
            return false;
        }

        if (raw is < 1 or > 0x2A)
        {
            _reader.Fail(MqttDecodeError.UnknownProperty);
            return false;
        }

        id = (PropertyId)raw;
        return true;
    }

    public byte ReadByte() => _reader.ReadByte();

    public ushort ReadUInt16() => _reader.ReadUInt16();

    public uint ReadUInt32() => _reader.ReadUInt32();

    public int ReadVariableByteInteger() => _reader.ReadVariableByteInteger();

    public string ReadString() => _reader.ReadString();

    public ReadOnlySpan<byte> ReadBinary() => _reader.ReadBinary();

    public MqttUserProperty ReadUserProperty()
    {
        var name = _reader.ReadString();
        var value = _reader.ReadString();
        return new MqttUserProperty(name, value);
    }

    /// <summary>Consumes the value of a property the caller does not use.</summary>
    public void Skip(PropertyId id)
    {
        switch (id)
        {
            case PropertyId.PayloadFormatIndicator or PropertyId.RequestProblemInformation or PropertyId.RequestResponseInformation
                or PropertyId.MaximumQos or PropertyId.RetainAvailable or PropertyId.WildcardSubscriptionAvailable
                or PropertyId.SubscriptionIdentifierAvailable or PropertyId.SharedSubscriptionAvailable:
                _reader.ReadByte();
                break;
            case PropertyId.ServerKeepAlive or PropertyId.ReceiveMaximum or PropertyId.TopicAliasMaximum or PropertyId.TopicAlias:
                _reader.ReadUInt16();
                break;
            case PropertyId.MessageExpiryInterval or PropertyId.SessionExpiryInterval or PropertyId.WillDelayInterval
                or PropertyId.MaximumPacketSize:
                _reader.ReadUInt32();
                break;
            case PropertyId.SubscriptionIdentifier:
                _reader.ReadVariableByteInteger();
                break;
            case PropertyId.ContentType or PropertyId.ResponseTopic or PropertyId.AssignedClientIdentifier
                or PropertyId.AuthenticationMethod or PropertyId.ResponseInformation or PropertyId.ServerReference
                or PropertyId.ReasonString:
                _reader.ReadString();
                break;
            case PropertyId.CorrelationData or PropertyId.AuthenticationData:
                _reader.ReadBinary();
                break;
            case PropertyId.UserProperty:
                ReadUserProperty();
                break;
            default:
                _reader.Fail(MqttDecodeError.UnknownProperty);
                break;
        }
    }
}
