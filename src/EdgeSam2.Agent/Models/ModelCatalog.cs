using EdgeSam2.Agent.Options;
using EdgeSam2.Onnx.Native;
using EdgeSam2.Onnx.Sam2;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Models;

/// <summary>
/// One ONNX Runtime for the process and one model set per camera (a model set is not thread-safe, and each camera
/// loop owns its own). Everything is loaded in <see cref="StartAsync"/>, before the MQTT connection and the cameras
/// start, so a missing or broken model stops the process with ORT's or the manifest's message.
/// </summary>
internal sealed class ModelCatalog(AgentOptions options, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<ModelCatalog>();
    private readonly Dictionary<string, OnnxSam2Model> _models = new(StringComparer.Ordinal);
    private OrtRuntime? _runtime;

    /// <summary>The model set of camera <paramref name="cameraId"/>.</summary>
    public OnnxSam2Model Get(string cameraId) =>
        _models.TryGetValue(cameraId, out var model) ? model : throw new InvalidOperationException($"No model is loaded for camera '{cameraId}': models load at start.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var model = options.Model;
        _runtime = OrtRuntime.Load(model.OrtLibrary);
        Log.RuntimeLoaded(_logger, _runtime.LibraryPath, _runtime.Version, string.Join(", ", _runtime.AvailableProviders));
        var settings = new OrtSessionSettings { IntraOpThreads = model.IntraOpThreads, AllowThreadSpinning = model.AllowThreadSpinning, Providers = Providers(model) };
        foreach (var camera in options.Cameras)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var loaded = OnnxSam2Model.Load(_runtime, model.Manifest, settings, model.VerifyChecksums, loggers.CreateLogger<OnnxSam2Model>());
            _models.Add(camera.Id, loaded);
            Log.ModelLoaded(_logger, camera.Id, loaded.Manifest.Name, loaded.Info.InputSize, loaded.Provider);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }

        _models.Clear();
        _runtime?.Dispose();
        _runtime = null;
    }

    private static List<ExecutionProviderSpec> Providers(ModelOptions model)
    {
        var specs = new List<ExecutionProviderSpec>();
        foreach (var kind in model.Providers)
        {
            specs.Add(kind switch
            {
                ExecutionProviderKind.TensorRt => ExecutionProviderSpec.TensorRt(model.DeviceId, model.TensorRtFp16, model.TensorRtCachePath, model.TensorRtCachePath),
                ExecutionProviderKind.Cuda => ExecutionProviderSpec.Cuda(model.DeviceId),
                _ => ExecutionProviderSpec.Cpu,
            });
        }

        return specs;
    }
}
