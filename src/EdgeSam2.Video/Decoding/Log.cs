using Microsoft.Extensions.Logging;

namespace EdgeSam2.Video;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Video source {Name}: started {Program} (pid {ProcessId}) for {Url}; its stdout pipe holds {PipeBytes} bytes")]
    public static partial void DecoderStarted(ILogger logger, string name, string program, int processId, string url, int pipeBytes);

    [LoggerMessage(2, LogLevel.Information, "Video source {Name}: end of {Url} after {Frames} frames")]
    public static partial void EndOfFile(ILogger logger, string name, string url, long frames);

    // Every exit in full at Debug; the state change it causes is logged once, at its own level (SourceDown).
    [LoggerMessage(3, LogLevel.Debug, "Video source {Name}: {Program} (pid {ProcessId}) exited with code {ExitCode} after {Frames} frames; stderr: {StderrTail}")]
    public static partial void DecoderExited(ILogger logger, string name, string program, int processId, int exitCode, long frames, string stderrTail);

    [LoggerMessage(4, LogLevel.Debug, "Video source {Name}: no frame from the decoder (pid {ProcessId}) for {StallTimeout}; killing it. stderr: {StderrTail}")]
    public static partial void DecoderStalled(ILogger logger, string name, int processId, TimeSpan stallTimeout, string stderrTail);

    [LoggerMessage(5, LogLevel.Debug, "Video source {Name}: restarting the decoder in {Delay} (consecutive failures {Failures})")]
    public static partial void DecoderRestarting(ILogger logger, string name, TimeSpan delay, int failures);

    [LoggerMessage(6, LogLevel.Information, "Video source {Name}: stopped after {Frames} frames ({Dropped} dropped, {Restarts} restarts)")]
    public static partial void Stopped(ILogger logger, string name, long frames, long dropped, long restarts);

    // The exception's own message says what failed (our VideoSourceException); a stack trace would tell an operator nothing.
    [LoggerMessage(7, LogLevel.Error, "Video source {Name}: failed: {Reason}")]
    public static partial void Failed(ILogger logger, string name, string reason);

    [LoggerMessage(8, LogLevel.Warning, "Video source {Name}: the decoder ended with {Bytes} bytes that are not a whole frame")]
    public static partial void PartialFrame(ILogger logger, string name, int bytes);

    [LoggerMessage(9, LogLevel.Warning, "Video source {Name}: ffmpeg did not report the input's size; frames carry source size 0")]
    public static partial void StreamInfoMissing(ILogger logger, string name);

    [LoggerMessage(EventId = 22, Message = "Video source {Name}: could not probe the source's size before starting gst-launch ({Reason}); frames carry source size 0")]
    public static partial void SourceProbeFailed(ILogger logger, LogLevel level, string name, string reason);

    [LoggerMessage(10, LogLevel.Debug, "Video source {Name}: state {State}")]
    public static partial void StateChanged(ILogger logger, string name, VideoSourceState state);

    [LoggerMessage(11, LogLevel.Debug, "Video source {Name}: frame {Sequence} dropped, every buffer is out")]
    public static partial void FrameDroppedNoBuffer(ILogger logger, string name, long sequence);

    [LoggerMessage(12, LogLevel.Trace, "Video source {Name}: frame {Sequence} read")]
    public static partial void FrameRead(ILogger logger, string name, long sequence);

    [LoggerMessage(13, LogLevel.Warning, "Video source {Name}: {State}: {Reason}")]
    public static partial void SourceDown(ILogger logger, string name, string state, string reason);

    [LoggerMessage(14, LogLevel.Debug, "Video source {Name}: still {State}: {Reason}")]
    public static partial void SourceStillDown(ILogger logger, string name, string state, string reason);

    [LoggerMessage(15, LogLevel.Information, "Video source {Name}: streaming through {Program} ({Width}x{Height} at {Fps} fps)")]
    public static partial void StreamingStarted(ILogger logger, string name, string program, int width, int height, double fps);

    [LoggerMessage(16, LogLevel.Information, "Video source {Name}: streaming again after {Downtime} ({Width}x{Height})")]
    public static partial void StreamingAgain(ILogger logger, string name, TimeSpan downtime, int width, int height);

    [LoggerMessage(17, LogLevel.Warning, "Video source {Name}: came back at {Width}x{Height}, was {OldWidth}x{OldHeight}")]
    public static partial void ResolutionChanged(ILogger logger, string name, int width, int height, int oldWidth, int oldHeight);

    [LoggerMessage(18, LogLevel.Debug, "Video source {Name}: looped (pass {Loops} ended after {Frames} frames)")]
    public static partial void Looped(ILogger logger, string name, long loops, long frames);

    [LoggerMessage(19, LogLevel.Warning, "Video source {Name}: the decoder (pid {ProcessId}) reported more than {Limit} decoding errors in 10 s; restarting it. Last: {LastError}")]
    public static partial void DecoderMisbehaved(ILogger logger, string name, int processId, int limit, string lastError);

    [LoggerMessage(21, LogLevel.Information, "Video source {Name}: {State}, now: {Reason}")]
    public static partial void SourceDownOtherReason(ILogger logger, string name, string state, string reason);

    [LoggerMessage(20, LogLevel.Information, "Video source {Name}: finished ({Reason})")]
    public static partial void SourceFinished(ILogger logger, string name, string reason);

    [LoggerMessage(23, LogLevel.Warning, "Video source {Name}: the decoder sent a frame of {Bytes} bytes, expected {Expected}; restarting it")]
    public static partial void UnexpectedFrameSize(ILogger logger, string name, uint bytes, int expected);

    [LoggerMessage(24, LogLevel.Warning, "Video source {Name}: cannot follow the decoder's output ({Reason}); restarting it")]
    public static partial void BadFraming(ILogger logger, string name, string reason);

    [LoggerMessage(25, LogLevel.Information, "Video source {Name}: decoding with {Decoder} (Decoder Auto: {Why})")]
    public static partial void DecoderChosen(ILogger logger, string name, VideoDecoder decoder, string why);
}
