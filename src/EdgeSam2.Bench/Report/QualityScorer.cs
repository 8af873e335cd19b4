using EdgeSam2.Bench.Agent;
using EdgeSam2.Demo.Report;
using EdgeSam2.Demo.Session;
using EdgeSam2.Scenes;

namespace EdgeSam2.Bench.Report;

/// <summary>
/// Tracking quality of a Deterministic run against the scene's exact ground truth, with the demo's scorer: mean IoU over
/// visible frames (a frame not published, or published without the object's mask, scores 0), id switches (an id whose
/// published centroid moves onto another object) and recoveries (an object hidden by the bar and tracked again within
/// <see cref="RecoveryFrames"/> frames of being at least half visible again).
/// </summary>
internal static class QualityScorer
{
    public const int RecoveryFrames = 10;

    public static QualityRow Score(CaseRun run, string codec)
    {
        var scene = run.Case.Scene;
        var spec = scene.Spec;
        var ids = new int[scene.ObjectCount];
        var visible = new bool[spec.FrameCount, ids.Length];
        var halfVisible = new bool[spec.FrameCount, ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = spec.Objects[i].Id;
            for (var f = 0; f < spec.FrameCount; f++)
            {
                var area = scene.Renderer.VisibleArea(f, ids[i]);
                visible[f, i] = area > 0;
                halfVisible[f, i] = 2 * area >= scene.Renderer.FullArea(f, ids[i]) && area > 0;
            }
        }

        var report = new TrackingReport(ids, visible, promptFrame: 0);
        var scorer = new FrameScorer(scene.Renderer);
        var tracked = new bool[spec.FrameCount, ids.Length];
        var onWrongObject = new Dictionary<int, bool>();
        var switches = 0;
        // Quality is scored on the first camera: every camera shows the same scene.
        foreach (var arrival in run.Tracks[run.Case.Cameras[0].Id])
        {
            if (arrival.Message is not { } tracks || !report.MarkReceived(tracks.Frame))
            {
                continue;
            }

            for (var i = 0; i < ids.Length; i++)
            {
                var score = scorer.Score(tracks, ids[i]);
                report.Record((int)tracks.Frame, i, score);
                tracked[tracks.Frame, i] = score.Tracked;
            }

            foreach (var o in tracks.Objects)
            {
                var wrong = IsOnAnotherObject(scene.Renderer, (int)tracks.Frame, o);
                if (wrong && !onWrongObject.GetValueOrDefault(o.Id))
                {
                    switches++;
                }

                onWrongObject[o.Id] = wrong;
            }
        }

        var summary = report.Summarise(0);
        var (visibleFrames, trackedFrames) = (0, 0);
        foreach (var o in summary.Objects)
        {
            (visibleFrames, trackedFrames) = (visibleFrames + o.VisibleFrames, trackedFrames + o.TrackedFrames);
        }

        var (occlusions, recoveries) = Recoveries(halfVisible, tracked);
        return new QualityRow(
            run.Case.Name, codec, ids.Length, Math.Round(summary.MeanIoU, 3), trackedFrames, visibleFrames, switches, occlusions, recoveries,
            run.Events.GetValueOrDefault("occluded"), run.Events.GetValueOrDefault("reappeared"), run.Events.GetValueOrDefault("recovered"), report.ProblemCount);
    }

    /// <summary>The published centroid lies on another object's visible box and not on its own.</summary>
    private static bool IsOnAnotherObject(SceneRenderer scene, int frame, TrackedObjectMessage published)
    {
        if (published.Mask is null || published.Centroid is not [var x, var y] || frame >= scene.Spec.FrameCount)
        {
            return false;
        }

        var onOther = false;
        foreach (var o in scene.Spec.Objects)
        {
            if (scene.VisibleBox(frame, o.Id) is not { } box || x < box.X1 || x >= box.X2 || y < box.Y1 || y >= box.Y2)
            {
                continue;
            }

            if (o.Id == published.Id)
            {
                return false;
            }

            onOther = true;
        }

        return onOther;
    }

    /// <summary>
    /// Each time an object is at least half visible again after frames when it was not, whether it was tracked within
    /// <see cref="RecoveryFrames"/> frames. Half, not a first pixel: how long a sliver takes to become half the object
    /// depends on the scene's speed (a 600-frame scene moves four times slower than a 150-frame one), and the tracking
    /// bar of issue 10 counts frames where an object is at least half visible.
    /// </summary>
    internal static (int Occlusions, int Recoveries) Recoveries(bool[,] visible, bool[,] tracked)
    {
        var (occlusions, recoveries) = (0, 0);
        for (var i = 0; i < visible.GetLength(1); i++)
        {
            var seen = false;
            for (var f = 1; f < visible.GetLength(0); f++)
            {
                seen |= visible[f - 1, i];
                if (!seen || visible[f - 1, i] || !visible[f, i])
                {
                    continue;
                }

                occlusions++;
                for (var k = f; k < Math.Min(visible.GetLength(0), f + RecoveryFrames); k++)
                {
                    if (tracked[k, i])
                    {
                        recoveries++;
                        break;
                    }
                }
            }
        }

        return (occlusions, recoveries);
    }
}
