using Microsoft.Extensions.Logging;

namespace EdgeSam2.Onnx.Providers;

internal static partial class Log
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning,
        Message = "Execution provider {Provider} {What} (first seen on {Module}); using the next provider. ONNX Runtime says: {Reason}")]
    public static partial void ProviderFailed(ILogger logger, ExecutionProvider provider, string what, string module, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Execution provider {Provider} skipped for {Module}: same failure as reported")]
    public static partial void ProviderFailedAgain(ILogger logger, ExecutionProvider provider, string module);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "SAM 2 graph {Module} runs on {Provider}")]
    public static partial void ModuleOpened(ILogger logger, string module, ExecutionProvider provider);
}
