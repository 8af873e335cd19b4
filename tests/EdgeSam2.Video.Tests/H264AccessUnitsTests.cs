namespace EdgeSam2.Video.Tests;

public sealed class H264AccessUnitsTests
{
    [Fact]
    public void Boundaries_DelimitersWithBothStartCodes_OneUnitEach_TheFirstFromTheStart()
    {
        byte[] stream =
        [
            0, 0, 0, 1, 9, 0x10, // unit 0: delimiter (4-byte start code)
            0, 0, 0, 1, 0x67, 1, 2, // SPS
            0, 0, 1, 0x65, 3, 4, 5, // IDR slice
            0, 0, 1, 9, 0x30, // unit 1: delimiter (3-byte start code)
            0, 0, 1, 0x41, 6, // slice
            0, 0, 0, 1, 9, 0x30, // unit 2
            0, 0, 0, 1, 0x41, 7, 8,
        ];

        Assert.Equal([0, 20, 30, stream.Length], H264AccessUnits.Boundaries(stream));
    }

    [Fact]
    public void NalUnits_BothStartCodes_EachUnitWithoutItsStartCodeOrTheZerosBeforeTheNext()
    {
        byte[] stream =
        [
            0, 0, 0, 1, 9, 0x10, // delimiter behind a 4-byte start code
            0, 0, 1, 0x67, 1, 2, 0, // SPS, a trailing zero before the next start code
            0, 0, 0, 1, 0x65, 3, 0, 0, 4, // IDR slice, zeros inside it kept
            0, 0, 1, // a start code with no unit after it
        ];

        Assert.Equal([(4, 2), (9, 3), (17, 5)], H264AccessUnits.NalUnits(stream));
        Assert.Empty(H264AccessUnits.NalUnits([]));
    }

    [Fact]
    public void Boundaries_NoDelimiterOrEmpty_TheWholeStreamIsOneUnit()
    {
        byte[] stream = [0, 0, 0, 1, 0x67, 1, 0, 0, 1, 0x65, 2];

        Assert.Equal([0, stream.Length], H264AccessUnits.Boundaries(stream));
        Assert.Equal([0, 0], H264AccessUnits.Boundaries([]));
    }

    [Fact]
    public void Boundaries_DelimiterAtTheVeryEnd_WithoutItsPayload_StillStartsAUnit()
    {
        byte[] stream = [0, 0, 0, 1, 9, 0x10, 0, 0, 1, 0x65, 2, 0, 0, 0, 1, 9];

        Assert.Equal([0, 11, stream.Length], H264AccessUnits.Boundaries(stream));
    }
}
