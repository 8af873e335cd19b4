using System.Buffers.Binary;

namespace EdgeSam2.Video.Tests;

/// <summary>GDP 1.0 as gdppay writes it (header layout from gst/gdp/dataprotocol.c), built byte by byte.</summary>
public sealed class GdpPacketTests
{
    private const ushort Caps = 2;
    private const ushort StreamStartEvent = 64 + 10254;

    [Fact]
    public async Task ReadBufferHeaderAsync_EventsAndCapsBeforeTheBuffer_SkippedAndThePtsRead()
    {
        using var stream = new MemoryStream([
            .. Packet(StreamStartEvent, payload: 171, pts: ulong.MaxValue),
            .. Packet(Caps, payload: 5000, pts: 0), // longer than the scratch: skipped in pieces
            .. Packet(1, payload: 12, pts: 1_040_000_000),
        ]);

        var buffer = await GdpPacket.ReadBufferHeaderAsync(stream, new byte[4096], CancellationToken.None);

        Assert.Equal(new GdpBuffer(12, 1.04), buffer);
        Assert.Equal(stream.Length - 12, stream.Position); // the payload is left for the frame read
    }

    [Fact]
    public async Task ReadBufferHeaderAsync_BufferWithoutTimestamp_PtsIsNull()
    {
        using var stream = new MemoryStream(Packet(1, payload: 3, pts: ulong.MaxValue));

        var buffer = await GdpPacket.ReadBufferHeaderAsync(stream, new byte[GdpPacket.HeaderBytes], CancellationToken.None);

        Assert.Equal(new GdpBuffer(3, null), buffer);
    }

    [Fact]
    public async Task ReadBufferHeaderAsync_EndOfStreamBetweenPackets_Null()
    {
        using var stream = new MemoryStream(Packet(Caps, payload: 20, pts: 0));

        Assert.Null(await GdpPacket.ReadBufferHeaderAsync(stream, new byte[4096], CancellationToken.None));
    }

    [Fact]
    public async Task ReadBufferHeaderAsync_CutInsideAHeaderOrAnEvent_InvalidData()
    {
        using var header = new MemoryStream(Packet(1, payload: 0, pts: 0)[..30]);
        using var @event = new MemoryStream(Packet(Caps, payload: 100, pts: 0)[..90]);

        var a = await Assert.ThrowsAsync<InvalidDataException>(() => GdpPacket.ReadBufferHeaderAsync(header, new byte[4096], CancellationToken.None).AsTask());
        var b = await Assert.ThrowsAsync<InvalidDataException>(() => GdpPacket.ReadBufferHeaderAsync(@event, new byte[4096], CancellationToken.None).AsTask());

        Assert.Contains("30 of 62 bytes", a.Message, StringComparison.Ordinal);
        Assert.Contains("inside a GDP event", b.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadBufferHeaderAsync_RawFramesInsteadOfGdp_InvalidDataNamingTheVersion()
    {
        using var stream = new MemoryStream(Enumerable.Repeat((byte)0xff, 100).ToArray());

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => GdpPacket.ReadBufferHeaderAsync(stream, new byte[4096], CancellationToken.None).AsTask());

        Assert.Contains("not GDP 1.0 (version bytes 255.255)", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A header (version 1.0, header CRC flag, the fields gdppay fills) and a zero payload.</summary>
    internal static byte[] Packet(ushort type, int payload, ulong pts)
    {
        var bytes = new byte[GdpPacket.HeaderBytes + payload];
        bytes[0] = 1;
        bytes[1] = 0;
        bytes[2] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), type);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(6), (uint)payload);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(10), pts);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(18), 40_000_000); // duration
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(26), ulong.MaxValue); // offset
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(34), ulong.MaxValue); // offset end
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(44), ulong.MaxValue); // DTS
        return bytes;
    }
}
