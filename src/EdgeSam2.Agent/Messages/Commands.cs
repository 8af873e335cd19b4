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

/// <summary>A parsed <c>prompt</c>: coordinates as sent (pixels or 0..1), converted to the frame's pixels when applied.</summary>
internal sealed record PromptRequest(
    string? RequestId,
    int? ObjectId,
    string? Label,
    IReadOnlyList<PromptPoint> Points,
    PromptBox? Box,
    bool Normalized,
    bool Refine,
    FrameSelector At) : CameraRequest(RequestId);

/// <summary>A parsed <c>remove</c>: one object, or every object when <see cref="ObjectId"/> is null.</summary>
internal sealed record RemoveRequest(string? RequestId, int? ObjectId, FrameSelector At) : CameraRequest(RequestId);

/// <summary>A parsed <c>set</c>.</summary>
internal sealed record SetRequest(string? RequestId, bool Enabled) : CameraRequest(RequestId);

/// <summary>Why a command was refused: the field at fault (JSON path, <c>$</c> for the whole payload) and a readable reason.</summary>
internal readonly record struct CommandError(string Field, string Message);

/// <summary>A parse outcome: the request, or the error (with the request id when it could be read).</summary>
internal readonly record struct ParseResult<T>(T? Request, CommandError? Error, string? RequestId)
    where T : CameraRequest
{
    public static ParseResult<T> Ok(T request) => new(request, null, request.RequestId);

    public static ParseResult<T> Fail(string? requestId, string field, string message) => new(null, new CommandError(field, message), requestId);
}
