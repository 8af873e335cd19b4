using System.Globalization;
using System.Text.Json;
using EdgeSam2.Scenes;

namespace EdgeSam2.Bench.Scenes;

/// <summary>
/// The bench's scene: N objects (discs and squares in distinct colours), each in its own cell of a grid over a
/// 512×384 textured frame, moving left to right across its cell over the scene. A grey bar in the first object's
/// cell hides it completely for a few frames mid-way, so every scene has an occlusion to recover from. Object ids are
/// 1…N; the bench seeds each with one positive click at its centre on frame 0.
/// </summary>
internal sealed class GridScene
{
    public const int Width = 512, Height = 384;

    private static readonly Rgb[] Palette =
    [
        new(220, 40, 40), new(40, 60, 220), new(40, 180, 60), new(230, 200, 30), new(200, 40, 200), new(30, 200, 210),
        new(240, 130, 20), new(120, 60, 200), new(150, 220, 40), new(230, 90, 140), new(20, 110, 110), new(160, 90, 30),
        new(250, 250, 250), new(20, 20, 20), new(90, 140, 250), new(190, 20, 90),
    ];

    public GridScene(int objects, int frames, double framesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(objects, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(objects, Palette.Length);
        var columns = (int)Math.Ceiling(Math.Sqrt(objects));
        var rows = (int)Math.Ceiling(objects / (double)columns);
        var (cellWidth, cellHeight) = (Width / columns, Height / rows);
        // Small enough that the object can pass wholly behind the bar and out again inside its cell; at most the
        // standard scenes' size (radius 36), so one object is not a quarter of the frame.
        var size = Math.Min(36, Math.Floor(Math.Min(cellWidth, cellHeight) * 0.18));
        var margin = 4 + size;
        var speed = (cellWidth - (2 * margin)) / Math.Max(1, frames - 1);
        var list = new SceneObject[objects];
        for (var i = 0; i < objects; i++)
        {
            var (left, top) = ((i % columns) * cellWidth, (i / columns) * cellHeight);
            var shape = i % 2 == 0 ? SceneShape.Disc : SceneShape.Square;
            list[i] = new SceneObject(i + 1, shape, Palette[i], size, new Trajectory(new ScenePoint(left + margin, top + (cellHeight / 2.0)), new ScenePoint(speed, 0)));
        }

        // Covers the first cell's middle: wider than the object by two frames' travel plus 2 px, so it is wholly hidden for
        // 2 + 2 / speed frames (speed in px a frame): longer scenes move slower and hide it for longer.
        var barWidth = (int)Math.Ceiling((2 * size) + (2 * speed) + 2);
        var barLeft = (cellWidth - barWidth) / 2;
        Spec = new SceneSpec
        {
            Width = Width,
            Height = Height,
            FrameCount = frames,
            FramesPerSecond = framesPerSecond,
            Seed = 11 + objects,
            Objects = list,
            Occluders = [new Occluder(new SceneRect(barLeft, 0, barLeft + barWidth, cellHeight), Occluder.Grey)],
        };
        Renderer = new SceneRenderer(Spec);
    }

    public SceneSpec Spec { get; }

    public SceneRenderer Renderer { get; }

    public int ObjectCount => Spec.Objects.Count;

    /// <summary>Renders the scene with a real ffmpeg.</summary>
    public Task WriteAsync(string path, SceneVideoCodec codec, CancellationToken cancellationToken) =>
        SceneVideo.WriteAsync(Spec, path, codec, "ffmpeg", cancellationToken);

    /// <summary>The same clicks as <see cref="PromptJson"/>, for the floor: <c>X,Y;X,Y;…</c> in object-id order.</summary>
    public string Clicks() => string.Join(';', Spec.Objects.Select(o => Click(o.Id)).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.X},{c.Y}")));

    /// <summary>The prompt (agent contract) that seeds object <paramref name="id"/>: one positive click at its centre on frame 0.</summary>
    public byte[] PromptJson(int id, string requestId)
    {
        var click = Click(id);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("request_id", requestId);
            json.WriteNumber("object_id", id);
            json.WriteStartArray("points");
            json.WriteStartArray();
            json.WriteNumberValue(click.X);
            json.WriteNumberValue(click.Y);
            json.WriteNumberValue(1);
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteNumber("frame", 0);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private (double X, double Y) Click(int id)
    {
        var centre = Renderer.CentreOf(0, id);
        return (Math.Round(centre.X, 1), Math.Round(centre.Y, 1));
    }
}
