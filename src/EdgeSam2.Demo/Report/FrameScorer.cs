using EdgeSam2.Demo.Session;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Demo.Report;

/// <summary>
/// Scores the agent's published masks against the scene's exact ground truth: decodes each COCO RLE, checks it
/// against the bbox and area published with it, and measures IoU with the object's visible pixels. Reuses its two
/// mask buffers, so it is not thread-safe.
/// </summary>
internal sealed class FrameScorer
{
    private readonly SceneRenderer _scene;
    private readonly byte[] _published;
    private readonly byte[] _truth;

    public FrameScorer(SceneRenderer scene)
    {
        _scene = scene;
        _published = new byte[scene.Spec.Width * scene.Spec.Height];
        _truth = new byte[_published.Length];
    }

    /// <summary>The last mask decoded by <see cref="Score"/> (row-major, 1 = object), valid when that score has a mask.</summary>
    public ReadOnlySpan<byte> LastMask => _published;

    /// <summary>Scores object <paramref name="objectId"/> in <paramref name="tracks"/>.</summary>
    public ObjectFrameScore Score(TracksMessage tracks, int objectId)
    {
        var frame = (int)tracks.Frame;
        var visible = frame >= 0 && frame < _scene.Spec.FrameCount && _scene.VisibleArea(frame, objectId) > 0;
        var reported = Find(tracks, objectId);
        if (reported is null)
        {
            return new ObjectFrameScore(visible, false, false, 0, null);
        }

        if (reported.Mask is null)
        {
            return new ObjectFrameScore(visible, true, false, 0, null);
        }

        if (!TryDecode(reported, out var problem))
        {
            return new ObjectFrameScore(visible, true, false, 0, problem);
        }

        if (!visible)
        {
            _truth.AsSpan().Clear();
        }
        else
        {
            _scene.RenderVisibleMask(frame, objectId, _truth);
        }

        var iou = MaskMetrics.IoU(_published, _truth);
        return new ObjectFrameScore(visible, true, true, iou, CheckGeometry(reported));
    }

    /// <summary>Decodes <paramref name="reported"/>'s mask into <see cref="LastMask"/>.</summary>
    public bool TryDecode(TrackedObjectMessage reported, out string? problem)
    {
        var mask = reported.Mask!;
        int width = _scene.Spec.Width, height = _scene.Spec.Height;
        if (mask.Size is not [var h, var w] || h != height || w != width)
        {
            problem = $"mask size [{string.Join(", ", mask.Size)}] is not the scene's [{height}, {width}]";
            return false;
        }

        var decoded = CocoRle.Decode(mask.Counts, width, height, _published);
        problem = decoded.Success ? null : $"mask RLE does not decode: {decoded.Error}";
        return decoded.Success;
    }

    private static TrackedObjectMessage? Find(TracksMessage tracks, int objectId)
    {
        foreach (var o in tracks.Objects)
        {
            if (o.Id == objectId)
            {
                return o;
            }
        }

        return null;
    }

    private string? CheckGeometry(TrackedObjectMessage reported)
    {
        var stats = MaskStats.Compute(_published, _scene.Spec.Width, _scene.Spec.Height);
        if (stats.Area != reported.Area)
        {
            return $"published area {reported.Area} but the mask has {stats.Area} pixels";
        }

        if (reported.Bbox is not [var x1, var y1, var x2, var y2] || new PixelBox(x1, y1, x2, y2) != stats.Box)
        {
            return $"published bbox [{string.Join(", ", reported.Bbox ?? [])}] but the mask spans [{stats.Box.X1}, {stats.Box.Y1}, {stats.Box.X2}, {stats.Box.Y2}]";
        }

        return null;
    }
}
