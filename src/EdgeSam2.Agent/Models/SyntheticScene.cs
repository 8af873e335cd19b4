namespace EdgeSam2.Agent.Models;

/// <summary>
/// A model-sized frame with N distinct discs on a grey ground, and one click per disc: enough for every graph to
/// run at the shapes a real stream gives, on any model set, with no video file.
/// </summary>
internal static class SyntheticScene
{
    public static byte[] Frame(int size, int objects)
    {
        var frame = new byte[size * size * 3];
        frame.AsSpan().Fill(96);
        for (var i = 0; i < objects; i++)
        {
            var (cx, cy) = Centre(size, objects, i);
            var r = Radius(size, objects);
            var (red, green, blue) = ((byte)(40 + (i * 53 % 200)), (byte)(220 - (i * 37 % 180)), (byte)(60 + (i * 91 % 190)));
            for (var y = Math.Max(0, cy - r); y < Math.Min(size, cy + r); y++)
            {
                for (var x = Math.Max(0, cx - r); x < Math.Min(size, cx + r); x++)
                {
                    if (((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= r * r)
                    {
                        var p = ((y * size) + x) * 3;
                        (frame[p], frame[p + 1], frame[p + 2]) = (red, green, blue);
                    }
                }
            }
        }

        return frame;
    }

    public static (int X, int Y) Centre(int size, int objects, int index)
    {
        var columns = (int)Math.Ceiling(Math.Sqrt(objects));
        var cell = size / columns;
        return ((cell * (index % columns)) + (cell / 2), (cell * (index / columns)) + (cell / 2));
    }

    private static int Radius(int size, int objects) => Math.Max(4, size / (int)Math.Ceiling(Math.Sqrt(objects)) / 4);
}
