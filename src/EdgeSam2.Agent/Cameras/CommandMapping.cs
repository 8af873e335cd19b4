using EdgeSam2.Agent.Messages;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Cameras;

/// <summary>Between the wire and the tracker: requests become tracker commands (in frame pixels), outcomes become replies.</summary>
internal static class CommandMapping
{
    /// <summary>The tracker command for <paramref name="command"/> on a <paramref name="width"/>×<paramref name="height"/> frame; normalized coordinates are scaled to it.</summary>
    public static TrackerCommand ToTrackerCommand(PendingCommand command, int width, int height)
    {
        if (command.Request is RemoveRequest remove)
        {
            return new RemoveCommand(remove.ObjectId) { Tag = command };
        }

        if (command.Request is ResetRequest)
        {
            return new RemoveCommand(null) { Tag = command };
        }

        var prompt = (PromptRequest)command.Request;
        var (sx, sy) = prompt.Normalized ? ((float)width, (float)height) : (1f, 1f);
        var points = new PromptPoint[prompt.Points.Count];
        for (var i = 0; i < points.Length; i++)
        {
            var p = prompt.Points[i];
            points[i] = new PromptPoint(p.X * sx, p.Y * sy, p.Positive);
        }

        PromptBox? box = prompt.Box is { } b ? new PromptBox(b.X1 * sx, b.Y1 * sy, b.X2 * sx, b.Y2 * sy) : null;
        return new PromptCommand(new ObjectPrompt { ObjectId = prompt.ObjectId, Label = prompt.Label, Points = points, Box = box, Mask = prompt.Mask, RefineOnly = prompt.Refine })
        {
            Tag = command,
        };
    }

    /// <summary>The reply to <paramref name="command"/> once the tracker applied (or refused) it on frame <paramref name="index"/>.</summary>
    public static CommandReply ToReply(PendingCommand command, CommandOutcome outcome, long index)
    {
        var requestId = command.Request.RequestId;
        if (!outcome.Succeeded)
        {
            // The tracker names the frame it was given; the sender may have named it by capture time.
            var field = outcome.Field == "frame" && command.At.Frame is null && command.At.CaptureTime is not null ? "capture_time" : outcome.Field;
            return new CommandReply(requestId, false, outcome.Error, field) { Frame = index };
        }

        return command.Request is RemoveRequest { ObjectId: null } or ResetRequest
            ? new CommandReply(requestId, true) { ObjectIds = outcome.ObjectIds, Frame = index }
            : new CommandReply(requestId, true) { ObjectId = outcome.ObjectIds.Count > 0 ? outcome.ObjectIds[0] : null, Frame = index };
    }
}
