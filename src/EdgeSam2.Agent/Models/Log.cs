using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Models;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "ONNX Runtime {Version} loaded from {Path}; providers compiled in: {Providers}")]
    public static partial void RuntimeLoaded(ILogger logger, string path, string version, string providers);

    [LoggerMessage(2, LogLevel.Information, "Camera {Camera}: model set {Model} loaded (input {InputSize}px; {Provider})")]
    public static partial void ModelLoaded(ILogger logger, string camera, string model, int inputSize, string provider);
}
