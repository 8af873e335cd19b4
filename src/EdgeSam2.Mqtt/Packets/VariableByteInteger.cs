using System.Buffers;

namespace EdgeSam2.Mqtt.Packets;

/// <summary>MQTT's 1–4 byte little-endian base-128 integer (specification 1.5.5).</summary>
internal static class VariableByteInteger
{
    public const int MaxValue = 268_435_455;

    public static int SizeOf(int value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    /// <summary>Writes <paramref name="value"/>; the destination must hold <see cref="SizeOf"/> bytes.</summary>
    public static int Encode(int value, Span<byte> destination)
    {
        if ((uint)value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "MQTT variable byte integers hold 0..268435455.");
        }

        var i = 0;
        do
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            destination[i++] = value > 0 ? (byte)(digit | 0x80) : digit;
        }
        while (value > 0);

        return i;
    }

    /// <summary>Reads one integer; NeedMoreData when the span ends inside it, InvalidData past four bytes.</summary>
    public static OperationStatus TryDecode(ReadOnlySpan<byte> source, out int value, out int bytesConsumed)
    {
        value = 0;
        bytesConsumed = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i >= source.Length)
            {
                return OperationStatus.NeedMoreData;
            }

            var b = source[i];
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                bytesConsumed = i + 1;
                return OperationStatus.Done;
            }
        }

        value = 0;
        return OperationStatus.InvalidData;
    }
}
