using System.Buffers;

namespace EdgeSam2.Mqtt.Packets;

/// <summary>An encoded packet in a pooled array; whoever takes it from the send buffer returns the array.</summary>
internal readonly record struct OutgoingPacket(byte[] Buffer, int Offset, int Length)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(Offset, Length);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
