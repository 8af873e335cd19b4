using EdgeSam2.Onnx.Native;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Onnx.Sam2;

internal static partial class Log
{
    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "SAM 2 module {Module}: session creation with {Provider} failed ({Reason}); retrying with the next provider")]
    public static partial void ModuleProviderFailed(ILogger logger, string module, string provider, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "SAM 2 module {Module} runs on {Provider}")]
    public static partial void ModuleOpened(ILogger logger, string module, OrtProvider provider);
}
