using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Cameras;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Camera {Camera}: {Enabled}")]
    private static partial void EnabledChangedCore(ILogger logger, string camera, string enabled);

    public static void EnabledChanged(ILogger logger, string camera, bool enabled) => EnabledChangedCore(logger, camera, enabled ? "enabled" : "disabled");

    [LoggerMessage(2, LogLevel.Warning, "Camera {Camera}: the source failed: {Reason}")]
    public static partial void SourceFailed(ILogger logger, string camera, string reason);

    [LoggerMessage(3, LogLevel.Information, "Camera {Camera}: restarting the source in {Delay}")]
    public static partial void Retrying(ILogger logger, string camera, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Information, "Camera {Camera}: object {ObjectId} {Event} on frame {Frame}")]
    public static partial void TrackEvent(ILogger logger, string camera, string @event, int objectId, long frame);

    [LoggerMessage(5, LogLevel.Debug, "Camera {Camera}: frame {Frame} tracked, {Objects} objects")]
    public static partial void FrameProcessed(ILogger logger, string camera, long frame, int objects);

    [LoggerMessage(6, LogLevel.Information, "Camera {Camera}: command {RequestId} applied on frame {Frame}")]
    public static partial void CommandApplied(ILogger logger, string camera, string requestId, long frame);

    [LoggerMessage(8, LogLevel.Information, "Camera {Camera}: the file ended after {Frames} frames; the camera is finished")]
    public static partial void Finished(ILogger logger, string camera, long frames);

    [LoggerMessage(9, LogLevel.Information, "Camera {Camera}: source is {Width}x{Height} at {Fps} fps")]
    public static partial void Probed(ILogger logger, string camera, int width, int height, double fps);

    [LoggerMessage(10, LogLevel.Warning, "Camera {Camera}: probing the source failed: {Reason}")]
    public static partial void ProbeFailed(ILogger logger, string camera, string reason);

    [LoggerMessage(12, LogLevel.Debug, "Camera {Camera}: the file looped (pass {Loop} starts at frame {Frame})")]
    public static partial void Looped(ILogger logger, string camera, long loop, long frame);

    [LoggerMessage(13, LogLevel.Information, "Camera {Camera}: late prompt {RequestId} applied on frame {PromptFrame}, carried through {Frames} frames to frame {LiveFrame} in {Milliseconds} ms")]
    public static partial void LatePromptCaughtUp(ILogger logger, string camera, string requestId, long promptFrame, int frames, long liveFrame, long milliseconds);

    [LoggerMessage(11, LogLevel.Critical, "Camera {Camera}: the pipeline failed; stopping the agent")]
    public static partial void PipelineFailed(ILogger logger, Exception exception, string camera);
}
