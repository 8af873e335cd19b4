using System.Buffers.Binary;
using EdgeSam2.Video;

namespace EdgeSam2.Bench.Agent.Rtsp;

/// <summary>
/// H.264 over RTP (RFC 6184, packetization-mode 1) as a camera sends it: each NAL unit of an access unit in one packet
/// (single NAL unit packet), or split into FU-A fragments when it is larger than <see cref="MaxPayload"/>; the marker
/// bit on the access unit's last packet, which is what lets a receiver hand the frame on at once. Access unit
/// delimiters are left out, as cameras do over RTP (the marker bit does their work).
/// </summary>
internal sealed class RtpH264(uint ssrc)
{
    public const int PayloadType = 96;
    public const int ClockRate = 90_000;

    /// <summary>The largest RTP payload: a NAL unit larger than this is fragmented (FU-A), as for a 1500-byte MTU.</summary>
    public const int MaxPayload = 1400;

    private const int HeaderSize = 12;
    private const byte NalTypeMask = 0x1f;
    private const byte AccessUnitDelimiter = 9;
    private const byte FuA = 28;

    private ushort _sequence;

    public uint Ssrc => ssrc;

    /// <summary>The RTP packets of one access unit (Annex B, start codes included), stamped <paramref name="timestamp"/> (90 kHz).</summary>
    public List<byte[]> Packets(ReadOnlySpan<byte> accessUnit, uint timestamp)
    {
        var nals = new List<(int Start, int Length)>();
        foreach (var nal in H264AccessUnits.NalUnits(accessUnit))
        {
            if ((accessUnit[nal.Start] & NalTypeMask) != AccessUnitDelimiter)
            {
                nals.Add(nal);
            }
        }

        var packets = new List<byte[]>();
        for (var i = 0; i < nals.Count; i++)
        {
            var nal = accessUnit.Slice(nals[i].Start, nals[i].Length);
            var last = i == nals.Count - 1;
            if (nal.Length <= MaxPayload)
            {
                var packet = Header(nal.Length, timestamp, last);
                nal.CopyTo(packet.AsSpan(HeaderSize));
                packets.Add(packet);
                continue;
            }

            // FU-A: the NAL header's F and NRI bits in the indicator, its type in the fragment header; the header byte itself is not sent.
            var indicator = (byte)((nal[0] & 0xe0) | FuA);
            var type = (byte)(nal[0] & NalTypeMask);
            for (var offset = 1; offset < nal.Length; offset += MaxPayload - 2)
            {
                var length = Math.Min(MaxPayload - 2, nal.Length - offset);
                var end = offset + length == nal.Length;
                var packet = Header(length + 2, timestamp, last && end);
                packet[HeaderSize] = indicator;
                packet[HeaderSize + 1] = (byte)((offset == 1 ? 0x80 : 0) | (end ? 0x40 : 0) | type);
                nal.Slice(offset, length).CopyTo(packet.AsSpan(HeaderSize + 2));
                packets.Add(packet);
            }
        }

        return packets;
    }

    /// <summary>
    /// The RTCP packet that tells the receiver the stream has ended (RFC 3550, 6.6): a BYE behind an empty receiver
    /// report, since an RTCP packet is compound and starts with a report (6.1); ffmpeg reads nothing under 12 bytes.
    /// </summary>
    public byte[] Bye()
    {
        var packet = new byte[16];
        Rtcp(packet.AsSpan(0, 8), reportCount: 0, type: 201); // RR, no report blocks
        Rtcp(packet.AsSpan(8, 8), reportCount: 1, type: 203); // BYE, one source
        return packet;
    }

    private void Rtcp(Span<byte> packet, int reportCount, byte type)
    {
        packet[0] = (byte)(0x80 | reportCount); // version 2
        packet[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], 1); // length in 32-bit words, less one
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], ssrc);
    }

    private byte[] Header(int payloadLength, uint timestamp, bool marker)
    {
        var packet = new byte[HeaderSize + payloadLength];
        packet[0] = 0x80; // version 2, no padding, no extension, no CSRC
        packet[1] = (byte)((marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), _sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        return packet;
    }
}
