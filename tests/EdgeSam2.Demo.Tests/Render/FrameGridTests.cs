using EdgeSam2.Demo.Render;
using EdgeSam2.Scenes;

namespace EdgeSam2.Demo.Tests.Render;

public sealed class FrameGridTests
{
    [Fact]
    public void Constructor_EightTilesFourColumns_TwoRowsWithGaps()
    {
        var grid = new FrameGrid(512, 384, 8, 4, 6, default);

        Assert.Equal((4, 2), (grid.Columns, grid.Rows));
        Assert.Equal((4 * 512) + (5 * 6), grid.Width);
        Assert.Equal((2 * 384) + (3 * 6), grid.Height);
        Assert.Equal((6 + (3 * 518), 6 + 390), grid.Origin(7));
    }

    [Fact]
    public void Constructor_FewerTilesThanColumns_OneRowOfThatMany()
    {
        var grid = new FrameGrid(10, 10, 3, 4, 0, default);

        Assert.Equal((3, 1), (grid.Columns, grid.Rows));
        Assert.Equal(30, grid.Width);
    }

    [Fact]
    public void Place_TwoByTwo_CopiesEachTileToItsSlotAndLeavesGapsBackground()
    {
        var grid = new FrameGrid(2, 1, 4, 2, 1, new Rgb(9, 9, 9));
        var canvas = new byte[grid.ByteCount];
        grid.Clear(canvas);
        for (var i = 0; i < 4; i++)
        {
            grid.Place(canvas, i, Enumerable.Repeat((byte)(i + 1), 2 * 3).ToArray());
        }

        Assert.Equal(["9999999", "9119229", "9999999", "9339449", "9999999"], Rows(canvas, grid));
    }

    [Fact]
    public void Place_IndexBeyondTiles_Throws()
    {
        var grid = new FrameGrid(2, 1, 4, 2, 1, default);

        Assert.Throws<ArgumentOutOfRangeException>(() => grid.Place(new byte[grid.ByteCount], 4, new byte[6]));
    }

    [Theory]
    [InlineData(0, 79, 8, new[] { 0, 11, 23, 34, 45, 56, 68, 79 })]
    [InlineData(0, 3, 8, new[] { 0, 1, 2, 3 })]
    [InlineData(5, 5, 3, new[] { 5 })]
    [InlineData(0, 10, 1, new[] { 0 })]
    public void EvenlySpaced_Range_EndsIncludedAscendingNoRepeats(int first, int last, int count, int[] expected)
    {
        Assert.Equal(expected, FrameGrid.EvenlySpaced(first, last, count));
    }

    // One digit per pixel: its green channel.
    private static string[] Rows(byte[] canvas, FrameGrid grid)
    {
        var rows = new string[grid.Height];
        for (var y = 0; y < grid.Height; y++)
        {
            var chars = new char[grid.Width];
            for (var x = 0; x < grid.Width; x++)
            {
                chars[x] = (char)('0' + canvas[(((y * grid.Width) + x) * 3) + 1]);
            }

            rows[y] = new string(chars);
        }

        return rows;
    }
}
