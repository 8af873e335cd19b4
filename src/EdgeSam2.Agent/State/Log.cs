using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.State;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Camera {Camera}: restored from {Path}: new objects start at id {NextObjectId}; {Objects} objects from before the restart are announced removed")]
    public static partial void Restored(ILogger logger, string camera, string path, int nextObjectId, int objects);

    [LoggerMessage(2, LogLevel.Warning, "Camera {Camera}: the state file {Path} is unusable ({Reason}); ids start again at 1")]
    public static partial void Unreadable(ILogger logger, string camera, string path, string reason);

    [LoggerMessage(3, LogLevel.Error, "Camera {Camera}: cannot write the state file {Path}: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string camera, string path, string reason);
}
