namespace EdgeSam2.Demo.Session;

// The shapes of the agent's JSON messages the demo reads (agent contract; snake_case on the wire). Only what the
// demo uses is declared: unknown fields are ignored, so the agent may publish more.

/// <summary>One processed frame on <c>{base}/{cam}/tracks</c>.</summary>
internal sealed record TracksMessage(string Camera, long Frame, string? CaptureTime, double LatencyMs, int Width, int Height, IReadOnlyList<TrackedObjectMessage> Objects);

/// <summary>One object of a <see cref="TracksMessage"/>; <see cref="Mask"/> is absent when the object is not visible.</summary>
internal sealed record TrackedObjectMessage(int Id, string? Label, string State, double Score, double Iou, int[]? Bbox, double[]? Centroid, long Area, double[]? Velocity, RleMask? Mask);

/// <summary>A COCO compressed RLE mask: <see cref="Size"/> is [height, width].</summary>
internal sealed record RleMask(int[] Size, string Counts);

/// <summary>The one reply to a command.</summary>
internal sealed record CommandReply(string? RequestId, string Status, int? ObjectId, long? Frame, string? Error, string? Field)
{
    public bool IsOk => Status == "ok";
}

/// <summary>A message on <c>{base}/{cam}/events</c>.</summary>
internal sealed record AgentEvent(string Camera, string Event, int? ObjectId, long? Frame);

/// <summary>The retained camera status on <c>{base}/{cam}/status</c>.</summary>
internal sealed record CameraStatus(string Camera, string State, double Fps, long Frames, long Dropped, string? Model, string? Provider);
