using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Models;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "ONNX Runtime {Version} loaded from {Source}; providers in this build: {Providers}")]
    public static partial void RuntimeLoaded(ILogger logger, string version, string source, string providers);

    [LoggerMessage(2, LogLevel.Information, "Model set {Model} loaded once for {Cameras} camera(s) (input {InputSize}px; {Provider})")]
    public static partial void ModelLoaded(ILogger logger, string model, int inputSize, string provider, int cameras);

    [LoggerMessage(3, LogLevel.Information, "Scheduler: {Runs} graph run(s) at a time, cameras in turn ({Cameras} camera(s), each tracking on its own thread; a camera's objects split across {ObjectThreads} thread(s))")]
    public static partial void SchedulerReady(ILogger logger, int runs, int cameras, int objectThreads);
}
