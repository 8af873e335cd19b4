using System.Text.Json;

namespace EdgeSam2.Scenes;

/// <summary>Writes a scene's per-frame ground truth as JSON, for the demo and for people checking a run by eye.</summary>
public static class SceneGroundTruth
{
    /// <summary>
    /// Writes <c>{ width, height, frameCount, fps, frames: [ { frame, objects: [ { id, centre: [x, y],
    /// fullArea, visibleArea, bbox: [x1, y1, x2, y2] | null } ] } ] }</c>; bbox edges x2, y2 are exclusive.
    /// </summary>
    public static async Task WriteJsonAsync(SceneSpec spec, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var renderer = new SceneRenderer(spec);
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            await using (json.ConfigureAwait(false))
            {
                json.WriteStartObject();
                json.WriteNumber("width", spec.Width);
                json.WriteNumber("height", spec.Height);
                json.WriteNumber("frameCount", spec.FrameCount);
                json.WriteNumber("fps", spec.FramesPerSecond);
                json.WriteStartArray("frames");
                for (var f = 0; f < spec.FrameCount; f++)
                {
                    WriteFrame(json, renderer, f);
                    if (json.BytesPending > 1 << 16)
                    {
                        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                json.WriteEndArray();
                json.WriteEndObject();
                await json.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void WriteFrame(Utf8JsonWriter json, SceneRenderer renderer, int frame)
    {
        json.WriteStartObject();
        json.WriteNumber("frame", frame);
        json.WriteStartArray("objects");
        foreach (var o in renderer.Spec.Objects)
        {
            var centre = renderer.CentreOf(frame, o.Id);
            json.WriteStartObject();
            json.WriteNumber("id", o.Id);
            json.WriteStartArray("centre");
            json.WriteNumberValue(centre.X);
            json.WriteNumberValue(centre.Y);
            json.WriteEndArray();
            json.WriteNumber("fullArea", renderer.FullArea(frame, o.Id));
            json.WriteNumber("visibleArea", renderer.VisibleArea(frame, o.Id));
            if (renderer.VisibleBox(frame, o.Id) is { } box)
            {
                json.WriteStartArray("bbox");
                json.WriteNumberValue(box.X1);
                json.WriteNumberValue(box.Y1);
                json.WriteNumberValue(box.X2);
                json.WriteNumberValue(box.Y2);
                json.WriteEndArray();
            }
            else
            {
                json.WriteNull("bbox");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
