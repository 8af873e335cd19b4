using Microsoft.Extensions.Logging;

namespace EdgeSam2.Video;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Video source {Name}: started ffmpeg (pid {ProcessId}) for {Url}")]
    public static partial void DecoderStarted(ILogger logger, string name, int processId, string url);

    [LoggerMessage(2, LogLevel.Information, "Video source {Name}: end of {Url} after {Frames} frames")]
    public static partial void EndOfFile(ILogger logger, string name, string url, long frames);

    [LoggerMessage(3, LogLevel.Warning, "Video source {Name}: ffmpeg (pid {ProcessId}) exited with code {ExitCode} after {Frames} frames; stderr: {StderrTail}")]
    public static partial void DecoderExited(ILogger logger, string name, int processId, int exitCode, long frames, string stderrTail);

    [LoggerMessage(4, LogLevel.Warning, "Video source {Name}: no frame from ffmpeg (pid {ProcessId}) for {StallTimeout}; killing it. stderr: {StderrTail}")]
    public static partial void DecoderStalled(ILogger logger, string name, int processId, TimeSpan stallTimeout, string stderrTail);

    [LoggerMessage(5, LogLevel.Information, "Video source {Name}: restarting ffmpeg in {Delay} (consecutive failures {Failures})")]
    public static partial void DecoderRestarting(ILogger logger, string name, TimeSpan delay, int failures);

    [LoggerMessage(6, LogLevel.Information, "Video source {Name}: stopped after {Frames} frames ({Dropped} dropped, {Restarts} restarts)")]
    public static partial void Stopped(ILogger logger, string name, long frames, long dropped, long restarts);

    [LoggerMessage(7, LogLevel.Error, "Video source {Name}: failed")]
    public static partial void Failed(ILogger logger, string name, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Video source {Name}: ffmpeg ended with {Bytes} bytes that are not a whole frame")]
    public static partial void PartialFrame(ILogger logger, string name, int bytes);

    [LoggerMessage(9, LogLevel.Warning, "Video source {Name}: ffmpeg did not report the input's size; frames carry source size 0")]
    public static partial void StreamInfoMissing(ILogger logger, string name);

    [LoggerMessage(10, LogLevel.Debug, "Video source {Name}: state {State}")]
    public static partial void StateChanged(ILogger logger, string name, VideoSourceState state);

    [LoggerMessage(11, LogLevel.Debug, "Video source {Name}: frame {Sequence} dropped, every buffer is out")]
    public static partial void FrameDroppedNoBuffer(ILogger logger, string name, long sequence);

    [LoggerMessage(12, LogLevel.Trace, "Video source {Name}: frame {Sequence} read")]
    public static partial void FrameRead(ILogger logger, string name, long sequence);

    [LoggerMessage(13, LogLevel.Information, "Video source {Name}: ffmpeg (pid {ProcessId}) exited with code {ExitCode} after {Frames} frames")]
    public static partial void DecoderEnded(ILogger logger, string name, int processId, int exitCode, long frames);
}
