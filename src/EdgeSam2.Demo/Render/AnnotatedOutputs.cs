using EdgeSam2.Demo.Session;
using EdgeSam2.Scenes;

namespace EdgeSam2.Demo.Render;

/// <summary>Writes the demo's pictures: an image strip of a few frames and a video of all of them, annotated.</summary>
internal sealed class AnnotatedOutputs(FrameAnnotator annotator, double framesPerSecond)
{
    private static readonly Rgb StripBackground = new(24, 24, 24);

    /// <summary>
    /// Tiles <paramref name="frames"/> (annotated) into a grid of at most <paramref name="columns"/> columns and writes
    /// it as a PNG with a real ffmpeg.
    /// </summary>
    public async Task WriteStripAsync(IReadOnlyList<int> frames, IReadOnlyDictionary<long, TracksMessage> tracks, int columns, string path, CancellationToken cancellationToken)
    {
        var grid = new FrameGrid(annotator.Width, annotator.Height, frames.Count, columns, gap: 6, StripBackground);
        var canvas = new byte[grid.ByteCount];
        var tile = new byte[annotator.FrameByteCount];
        grid.Clear(canvas);
        for (var i = 0; i < frames.Count; i++)
        {
            annotator.Draw(frames[i], tracks.GetValueOrDefault(frames[i]), tile);
            grid.Place(canvas, i, tile);
        }

        await using var encoder = FfmpegRawEncoder.Start(grid.Width, grid.Height, 1, ["-frames:v", "1", "-c:v", "png"], path);
        await encoder.WriteFrameAsync(canvas, cancellationToken).ConfigureAwait(false);
        await encoder.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Encodes every frame of <paramref name="frameCount"/>, annotated, into <paramref name="path"/>.</summary>
    public async Task WriteVideoAsync(int frameCount, IReadOnlyDictionary<long, TracksMessage> tracks, VideoFormat format, string path, CancellationToken cancellationToken)
    {
        var frame = new byte[annotator.FrameByteCount];
        await using var encoder = FfmpegRawEncoder.Start(annotator.Width, annotator.Height, framesPerSecond, format.OutputArguments, path);
        for (var i = 0; i < frameCount; i++)
        {
            annotator.Draw(i, tracks.GetValueOrDefault(i), frame);
            await encoder.WriteFrameAsync(frame, cancellationToken).ConfigureAwait(false);
        }

        await encoder.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
