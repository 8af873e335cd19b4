using System.Text.Json;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Agent.Tests.Support;

/// <summary>One object in one received tracks message, its mask decoded.</summary>
internal sealed record ReceivedObject(int Id, string State, int[] Bbox, long Area, byte[]? Mask);

/// <summary>Scores what arrived over MQTT against the scene's exact ground truth.</summary>
internal static class TrackScoring
{
    /// <summary>A frame counts as visible for the IoU bar when at least half the shape shows (as in the tracking tests).</summary>
    public const double VisibleForIoU = 0.5;

    /// <summary>Every tracks message on <paramref name="topic"/>, by frame; asserts each RLE decodes to the published bbox and area.</summary>
    public static Dictionary<long, List<ReceivedObject>> Parse(IEnumerable<MqttMessage> messages, string topic)
    {
        var frames = new Dictionary<long, List<ReceivedObject>>();
        foreach (var message in messages)
        {
            if (message.Topic != topic)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(message.Payload);
            var root = doc.RootElement;
            var width = root.GetProperty("width").GetInt32();
            var height = root.GetProperty("height").GetInt32();
            var objects = new List<ReceivedObject>();
            foreach (var o in root.GetProperty("objects").EnumerateArray())
            {
                var bbox = o.GetProperty("bbox").EnumerateArray().Select(v => v.GetInt32()).ToArray();
                var area = o.GetProperty("area").GetInt64();
                byte[]? mask = null;
                if (o.TryGetProperty("mask", out var m))
                {
                    var size = m.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()).ToArray();
                    Assert.Equal([height, width], size);
                    mask = new byte[width * height];
                    var decoded = CocoRle.Decode(m.GetProperty("counts").GetString(), width, height, mask);
                    Assert.True(decoded.Success, decoded.Error);
                    var stats = MaskStats.Compute(mask, width, height);
                    Assert.Equal(stats.Area, area);
                    Assert.Equal([stats.Box.X1, stats.Box.Y1, stats.Box.X2, stats.Box.Y2], bbox);
                }

                objects.Add(new ReceivedObject(o.GetProperty("id").GetInt32(), o.GetProperty("state").GetString()!, bbox, area, mask));
            }

            frames[root.GetProperty("frame").GetInt64()] = objects;
        }

        return frames;
    }

    /// <summary>
    /// For frames <paramref name="from"/>..<paramref name="to"/> where the scene object is visible: the fraction whose
    /// received mask of <paramref name="agentId"/> has IoU ≥ 0.9, plus a trace for failure messages.
    /// </summary>
    public static (double Fraction, int Visible, string Trace) Score(
        SceneRenderer renderer, Dictionary<long, List<ReceivedObject>> frames, int sceneId, int agentId, int from, int to)
    {
        var spec = renderer.Spec;
        var truth = new byte[spec.Width * spec.Height];
        int visible = 0, good = 0;
        var trace = new System.Text.StringBuilder();
        for (var f = from; f <= to; f++)
        {
            if ((double)renderer.VisibleArea(f, sceneId) / renderer.FullArea(f, sceneId) < VisibleForIoU)
            {
                continue;
            }

            visible++;
            var iou = 0.0;
            if (frames.TryGetValue(f, out var objects) && objects.FirstOrDefault(o => o.Id == agentId)?.Mask is { } mask)
            {
                renderer.RenderVisibleMask(f, sceneId, truth);
                iou = MaskMetrics.IoU(mask, truth);
            }

            good += iou >= 0.9 ? 1 : 0;
            trace.Append(f).Append(':').Append(iou.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)).Append(' ');
        }

        return (visible == 0 ? 0 : (double)good / visible, visible, trace.ToString());
    }
}
