using EdgeSam2.Demo.Render;

namespace EdgeSam2.Demo.Tests.Render;

public sealed class FrameLabelTests
{
    [Fact]
    public void Draw_Digit1Scale1_PlateWithGlyph()
    {
        const int width = 6, height = 8;
        var rgb = Enumerable.Repeat((byte)100, width * height * 3).ToArray();

        FrameLabel.Draw(rgb, width, height, 0, 0, 1, 1);

        // Plate 5×7 (glyph 3×5 plus a 1 px margin) in black, the glyph in white, the rest untouched.
        Assert.Equal(
            [
                "....._",
                "..#.._",
                ".##.._",
                "..#.._",
                "..#.._",
                ".###._",
                "....._",
                "______",
            ],
            Render(rgb, width, height));
    }

    [Fact]
    public void Draw_NearEdge_ClipsWithoutThrowing()
    {
        var rgb = Enumerable.Repeat((byte)100, 4 * 4 * 3).ToArray();

        FrameLabel.Draw(rgb, 4, 4, 2, 2, 79, 3);

        Assert.Equal(["____", "____", "__..", "__.."], Render(rgb, 4, 4));
    }

    private static string[] Render(byte[] rgb, int width, int height)
    {
        var rows = new string[height];
        for (var y = 0; y < height; y++)
        {
            var chars = new char[width];
            for (var x = 0; x < width; x++)
            {
                chars[x] = rgb[((y * width) + x) * 3] switch { 255 => '#', 0 => '.', _ => '_' };
            }

            rows[y] = new string(chars);
        }

        return rows;
    }
}
