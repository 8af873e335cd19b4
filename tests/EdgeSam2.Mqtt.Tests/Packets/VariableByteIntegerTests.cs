using System.Buffers;
using EdgeSam2.Mqtt.Packets;

namespace EdgeSam2.Mqtt.Tests.Packets;

public class VariableByteIntegerTests
{
    // The boundary values of specification table 1-1 "Size of Variable Byte Integer".
    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void Encode_SpecBoundaries_MatchesSpecBytesAndRoundTrips(int value, string hex)
    {
        Span<byte> buffer = stackalloc byte[4];
        var written = VariableByteInteger.Encode(value, buffer);

        Assert.Equal(hex, Convert.ToHexString(buffer[..written]));
        Assert.Equal(written, VariableByteInteger.SizeOf(value));
        Assert.Equal(OperationStatus.Done, VariableByteInteger.TryDecode(buffer[..written], out var decoded, out var consumed));
        Assert.Equal(value, decoded);
        Assert.Equal(written, consumed);
    }

    [Fact]
    public void TryDecode_FiveByteEncoding_InvalidData()
    {
        Assert.Equal(OperationStatus.InvalidData, VariableByteInteger.TryDecode(PacketBytes.Hex("FFFFFFFF7F"), out _, out _));
    }

    [Fact]
    public void TryDecode_EndsInsideInteger_NeedMoreData()
    {
        Assert.Equal(OperationStatus.NeedMoreData, VariableByteInteger.TryDecode(PacketBytes.Hex("8080"), out _, out _));
    }

    [Fact]
    public void Encode_AboveMaximum_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VariableByteInteger.Encode(268_435_456, new byte[4]));
    }
}
