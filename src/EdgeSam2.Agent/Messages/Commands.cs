using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Messages;

/// <summary>Names the frame a command refers to: a sequence number, a capture time, or neither (the next frame).</summary>
/// <param name="Frame">The frame's sequence number.</param>
/// <param name="CaptureTime">The frame's capture time.</param>
internal readonly record struct FrameSelector(long? Frame, DateTimeOffset? CaptureTime)
{
    public bool IsNext => Frame is null && CaptureTime is null;

    public override string ToString() => Frame is { } f ? $"frame {f}" : CaptureTime is { } t ? $"the frame captured at {t:O}" : "the next frame";
}

/// <summary>A parsed command, not yet checked against a frame.</summary>
internal abstract record CameraRequest(string? RequestId);

/// <summary>
/// A parsed <c>prompt</c>: coordinates as sent (pixels or 0..1), converted to the frame's pixels when applied; or a
/// mask (COCO RLE, decoded when applied), which must have the frame's size.
/// </summary>
internal sealed record PromptRequest(
    string? RequestId,
    int? ObjectId,
    string? Label,
    IReadOnlyList<PromptPoint> Points,
    PromptBox? Box,
    bool Normalized,
    bool Refine,
    FrameSelector At,
    PromptMask? Mask = null) : CameraRequest(RequestId);

/// <summary>A parsed <c>remove</c>: one object, or every object when <see cref="ObjectId"/> is null.</summary>
internal sealed record RemoveRequest(string? RequestId, int? ObjectId, FrameSelector At) : CameraRequest(RequestId);

/// <summary>A parsed <c>reset</c>: drop every object and every waiting command of the camera.</summary>
internal sealed record ResetRequest(string? RequestId) : CameraRequest(RequestId);

/// <summary>A parsed <c>set</c>.</summary>
internal sealed record SetRequest(string? RequestId, bool Enabled) : CameraRequest(RequestId);

/// <summary>What a command may cost before it is refused (Options: <c>Commands</c>, <c>Tracking:MaxPromptPoints</c>).</summary>
/// <param name="MaxPayloadBytes">Largest payload, checked before any JSON is read.</param>
/// <param name="MaxDepth">Deepest nesting; the command object is level 1.</param>
/// <param name="MaxPoints">Most points in a prompt.</param>
/// <param name="MaxStringLength">Longest request id and label, in characters.</param>
internal sealed record CommandLimits(int MaxPayloadBytes, int MaxDepth, int MaxPoints, int MaxStringLength)
{
    public static CommandLimits Default { get; } = new(65536, 8, 16, 200);
}

/// <summary>Why a command was refused: the field at fault (JSON path, <c>$</c> for the whole payload) and a readable reason.</summary>
internal readonly record struct CommandError(string Field, string Message);

/// <summary>A parse outcome: the request, or the error (with the request id when it could be read).</summary>
internal readonly record struct ParseResult<T>(T? Request, CommandError? Error, string? RequestId)
    where T : CameraRequest
{
    public static ParseResult<T> Ok(T request) => new(request, null, request.RequestId);

    public static ParseResult<T> Fail(string? requestId, string field, string message) => new(null, new CommandError(field, message), requestId);
}
