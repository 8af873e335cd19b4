using EdgeSam2.Demo.Render;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Demo.Tests.Render;

public sealed class MaskOverlayTests
{
    private static readonly Rgb Green = new(0, 200, 100);

    [Fact]
    public void Blend_HalfAlpha_MixesOnlyMaskedPixels()
    {
        // 40 pixels so the vectorised run search crosses several vector widths.
        var mask = new byte[40];
        mask[3] = 1;
        mask[17] = 255;
        mask[18] = 1;
        mask[39] = 1;
        var rgb = Enumerable.Repeat((byte)100, 40 * 3).ToArray();

        MaskOverlay.Blend(rgb, mask, Green, 128);

        for (var i = 0; i < mask.Length; i++)
        {
            var expected = mask[i] != 0 ? new[] { 50, 150, 100 } : new[] { 100, 100, 100 };
            Assert.Equal(expected, new int[] { rgb[i * 3], rgb[(i * 3) + 1], rgb[(i * 3) + 2] });
        }
    }

    [Fact]
    public void Blend_FullAlpha_PaintsColour()
    {
        byte[] mask = [0, 1, 1];
        var rgb = new byte[9];

        MaskOverlay.Blend(rgb, mask, Green, 256);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 200, 100, 0, 200, 100 }, rgb);
    }

    [Fact]
    public void Blend_FrameSmallerThanMask_Throws()
    {
        Assert.Throws<ArgumentException>(() => MaskOverlay.Blend(new byte[5], new byte[2], Green, 128));
    }

    [Fact]
    public void OutlineBox_Thickness1_DrawsBorderInsideExclusiveBox()
    {
        const int width = 6, height = 5;
        var rgb = new byte[width * height * 3];

        MaskOverlay.OutlineBox(rgb, width, height, new PixelBox(1, 1, 5, 4), Green, 1);

        var painted = Painted(rgb, width, height);
        Assert.Equal(
            [
                "......",
                ".####.",
                ".#..#.",
                ".####.",
                "......",
            ],
            painted);
    }

    [Fact]
    public void OutlineBox_BoxPastFrameEdge_ClipsWithoutThrowing()
    {
        const int width = 4, height = 4;
        var rgb = new byte[width * height * 3];

        MaskOverlay.OutlineBox(rgb, width, height, new PixelBox(-5, 1, 10, 20), Green, 1);

        Assert.Equal(["....", "####", "#..#", "####"], Painted(rgb, width, height));
    }

    [Fact]
    public void Contour_FilledRectangleTouchingFrameEdge_PaintsBorderPixelsOnly()
    {
        const int width = 6, height = 5;
        var mask = new byte[width * height];
        for (var y = 1; y < 5; y++)
        {
            mask.AsSpan((y * width) + 1, 4).Fill(1);
        }

        var rgb = new byte[width * height * 3];

        MaskOverlay.Contour(rgb, mask, width, height, Green);

        Assert.Equal(
            [
                "......",
                ".####.",
                ".#..#.",
                ".#..#.",
                ".####.",
            ],
            Painted(rgb, width, height));
    }

    private static string[] Painted(byte[] rgb, int width, int height)
    {
        var rows = new string[height];
        for (var y = 0; y < height; y++)
        {
            var row = new char[width];
            for (var x = 0; x < width; x++)
            {
                row[x] = rgb[((y * width) + x) * 3 + 1] == Green.G ? '#' : '.';
            }

            rows[y] = new string(row);
        }

        return rows;
    }
}
