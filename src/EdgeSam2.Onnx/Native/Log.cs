using Microsoft.Extensions.Logging;

namespace EdgeSam2.Onnx.Native;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Execution provider {Provider} is unavailable and is skipped ({Settings}): {Reason}")]
    public static partial void ProviderUnavailable(ILogger logger, OrtProvider provider, ExecutionProviderSpec settings, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug,
        Message = "Execution provider {Provider} skipped: it already failed in this runtime ({Settings})")]
    public static partial void ProviderSkipped(ILogger logger, OrtProvider provider, ExecutionProviderSpec settings);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Opened {ModelPath} on {Provider}: {InputCount} inputs, {OutputCount} outputs")]
    public static partial void SessionOpened(ILogger logger, string modelPath, OrtProvider provider, int inputCount, int outputCount);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug,
        Message = "Execution provider {Provider} appended ({Settings})")]
    public static partial void ProviderAppended(ILogger logger, OrtProvider provider, ExecutionProviderSpec settings);

    [LoggerMessage(EventId = 5, Message = "ONNX Runtime [{Category}] {OrtMessage}")]
    public static partial void OrtMessage(ILogger logger, LogLevel level, string category, string ortMessage);
}
