using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Snapshots;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Camera {Camera}: snapshot of frame {Frame} published, {Bytes} bytes, {Requests} requests answered")]
    public static partial void Published(ILogger logger, string camera, long frame, int bytes, int requests);

    [LoggerMessage(2, LogLevel.Warning, "Camera {Camera}: the snapshot of frame {Frame} could not be encoded: {Reason}")]
    public static partial void EncodeFailed(ILogger logger, string camera, long frame, string reason);
}
