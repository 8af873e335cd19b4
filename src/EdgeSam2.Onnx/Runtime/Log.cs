using Microsoft.Extensions.Logging;

namespace EdgeSam2.Onnx.Runtime;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Message = "ONNX Runtime [{Category}] {OrtMessage}")]
    public static partial void OrtMessage(ILogger logger, LogLevel level, string category, string ortMessage);
}
