using System.Buffers.Binary;
using EdgeSam2.Bench.Agent.Rtsp;

namespace EdgeSam2.Bench.Tests;

/// <summary>RFC 6184 packetisation, checked by reassembling the packets as a receiver does.</summary>
public sealed class RtpH264Tests
{
    [Fact]
    public void Packets_RebuildTheAccessUnitsNalUnits_LargeOnesInFuA_DelimiterLeftOut_MarkerOnTheLastOnly()
    {
        var slice = new byte[(2 * RtpH264.MaxPayload) + 123];
        new Random(7).NextBytes(slice);
        slice[0] = 0x65; // IDR slice, NRI 3
        slice[^1] = 0x80; // a NAL unit never ends in zero (its stop bit)
        byte[] sps = [0x67, 0x64, 0x00, 0x15, 0xac];
        byte[] pps = [0x68, 0xef, 0x0f, 0xcb];
        byte[] accessUnit = [0, 0, 0, 1, 0x09, 0x10, 0, 0, 0, 1, .. sps, 0, 0, 1, .. pps, 0, 0, 1, .. slice];

        var rtp = new RtpH264(0x01020304);
        var first = rtp.Packets(accessUnit, 3600);
        var second = rtp.Packets(accessUnit, 7200);

        var rebuilt = new List<byte[]>();
        List<byte>? fragments = null;
        foreach (var packet in first)
        {
            Assert.Equal(0x80, packet[0]);
            Assert.Equal(RtpH264.PayloadType, packet[1] & 0x7f);
            Assert.Equal(3600u, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4)));
            Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8)));
            Assert.True(packet.Length - 12 <= RtpH264.MaxPayload, "a payload over the MTU's budget");
            Assert.Equal(packet == first[^1], (packet[1] & 0x80) != 0);
            var payload = packet.AsSpan(12);
            if ((payload[0] & 0x1f) != 28)
            {
                rebuilt.Add(payload.ToArray());
                continue;
            }

            if ((payload[1] & 0x80) != 0)
            {
                fragments = [(byte)((payload[0] & 0xe0) | (payload[1] & 0x1f))];
            }

            fragments!.AddRange(payload[2..].ToArray());
            if ((payload[1] & 0x40) != 0)
            {
                rebuilt.Add([.. fragments]);
                fragments = null;
            }
        }

        Assert.Equal([sps, pps, slice], rebuilt);
        Assert.Equal(3 + 2, first.Count); // SPS, PPS and the slice in three fragments
        var sequences = first.Concat(second).Select(p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2))).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => (ushort)i), sequences);
    }

    [Fact]
    public void Bye_IsACompoundRtcpPacket_AnEmptyReceiverReportThenTheByeForTheSource()
    {
        var bye = new RtpH264(0xa1b2c3d4).Bye();

        Assert.Equal([0x80, 201, 0, 1, 0xa1, 0xb2, 0xc3, 0xd4, 0x81, 203, 0, 1, 0xa1, 0xb2, 0xc3, 0xd4], bye);
    }
}
