namespace EdgeSam2.Onnx.Runtime;

/// <summary>Process-wide ONNX Runtime settings, fixed by the first <see cref="OrtRuntime.Initialize"/>.</summary>
public sealed record OrtRuntimeOptions
{
    /// <summary>
    /// A system ONNX Runtime shared library to load instead of the one in the NuGet package (a Jetson image's CUDA build).
    /// Null or empty: the packaged library. It must be at least as new as the managed API, which is checked at start.
    /// </summary>
    public string? LibraryPath { get; init; }

    /// <summary>Least severe ORT message passed on to our logger. Default <see cref="Microsoft.Extensions.Logging.LogLevel.Warning"/>.</summary>
    public Microsoft.Extensions.Logging.LogLevel MinimumLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Warning;
}
