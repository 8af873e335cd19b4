using EdgeSam2.Demo.Session;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Demo.Render;

/// <summary>
/// Draws what the agent published for a frame over that frame: each object's decoded mask, semi-transparent in
/// its colour with its contour solid, its bbox outlined a few pixels outside (so it does not hide the contour), and the frame number in the corner. The frame itself is re-rendered from the
/// scene, which is exactly what the agent decoded (the scene video is lossless).
/// </summary>
internal sealed class FrameAnnotator
{
    private const int MaskAlpha = 128;
    private const int BoxThickness = 1;
    private const int BoxMargin = 3;
    private const int LabelScale = 3;
    private readonly SceneRenderer _scene;
    private readonly byte[] _mask;

    public FrameAnnotator(SceneRenderer scene)
    {
        _scene = scene;
        _mask = new byte[scene.Spec.Width * scene.Spec.Height];
    }

    public int Width => _scene.Spec.Width;

    public int Height => _scene.Spec.Height;

    public int FrameByteCount => _scene.Spec.FrameByteCount;

    /// <summary>Writes frame <paramref name="frame"/> annotated with <paramref name="tracks"/> (null: the agent published nothing for it) into <paramref name="rgb24"/>.</summary>
    public void Draw(int frame, TracksMessage? tracks, Span<byte> rgb24)
    {
        _scene.RenderFrame(frame, rgb24);
        if (tracks is not null)
        {
            foreach (var o in tracks.Objects)
            {
                var colour = ObjectPalette.For(o.Id);
                if (o.Mask is { Size: [var h, var w] } mask && h == Height && w == Width
                    && CocoRle.Decode(mask.Counts, Width, Height, _mask).Success)
                {
                    MaskOverlay.Blend(rgb24, _mask, colour, MaskAlpha);
                    MaskOverlay.Contour(rgb24, _mask, Width, Height, colour);
                }

                if (o.Bbox is [var x1, var y1, var x2, var y2])
                {
                    MaskOverlay.OutlineBox(rgb24, Width, Height, new PixelBox(x1 - BoxMargin, y1 - BoxMargin, x2 + BoxMargin, y2 + BoxMargin), colour, BoxThickness);
                }
            }
        }

        FrameLabel.Draw(rgb24, Width, Height, 4, 4, frame, LabelScale);
    }
}
