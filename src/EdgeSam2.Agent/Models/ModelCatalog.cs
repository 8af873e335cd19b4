using EdgeSam2.Agent.Options;
using EdgeSam2.Agent.Scheduling;
using EdgeSam2.Onnx.Providers;
using EdgeSam2.Onnx.Runtime;
using EdgeSam2.Onnx.Sam2;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Models;

/// <summary>
/// The agent's one SAM 2 model set, shared by every camera: weights and engines load once, in
/// <see cref="StartAsync"/>, before the cameras start, so a missing or broken model stops the process with the
/// manifest's or ORT's message. Each camera gets its own <see cref="OnnxSam2Model"/> (its bindings) over the
/// shared sessions, made here at start so nothing is created mid-stream.
/// </summary>
internal sealed class ModelCatalog(AgentOptions options, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<ModelCatalog>();
    private readonly Dictionary<string, OnnxSam2Model> _models = new(StringComparer.Ordinal);
    private Sam2ModelSet? _set;
    private InferenceGate? _gate;

    /// <summary>The shared model set; null until <see cref="StartAsync"/> has loaded it.</summary>
    public Sam2ModelSet? Set => _set;

    /// <summary>The turn-taking gate every camera's graph runs pass; null until <see cref="StartAsync"/>.</summary>
    public InferenceGate Gate => _gate ?? throw new InvalidOperationException("The scheduler is made when the models load, at start.");

    /// <summary>Every camera's model (for statistics).</summary>
    public IReadOnlyCollection<OnnxSam2Model> Models => _models.Values;

    /// <summary>The model of camera <paramref name="cameraId"/>.</summary>
    public OnnxSam2Model Get(string cameraId) =>
        _models.TryGetValue(cameraId, out var model) ? model : throw new InvalidOperationException($"No model is loaded for camera '{cameraId}': models load at start.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var model = options.Model;
        OrtRuntime.Initialize(new OrtRuntimeOptions { LibraryPath = model.OrtLibrary }, loggers);
        Log.RuntimeLoaded(_logger, OrtRuntime.Version, string.IsNullOrEmpty(model.OrtLibrary) ? "the NuGet package" : model.OrtLibrary, string.Join(", ", OrtRuntime.AvailableProviders));
        _set = Sam2ModelSet.Load(model.Manifest, SessionSettingsFor(model), LimitsFor(options.Tracking), model.VerifyChecksums, loggers.CreateLogger<Sam2ModelSet>(), model.FramePreparation);
        Log.ModelLoaded(_logger, _set.Manifest.Name, _set.Info.InputSize, _set.Provider, options.Cameras.Count);
        _gate = new InferenceGate(ConcurrentRunsFor(model, _set.Providers));
        Log.SchedulerReady(_logger, _gate.ConcurrentRuns, options.Cameras.Count, _set.ObjectThreads);
        foreach (var camera in options.Cameras)
        {
            _models.Add(camera.Id, _set.CreateModel());
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
        _set?.Dispose();
        _set = null;
    }

    /// <summary>Session settings from the agent's model options (shared with the models command).</summary>
    public static SessionSettings SessionSettingsFor(ModelOptions model) => new()
    {
        IntraOpThreads = model.IntraOpThreads,
        ObjectThreads = model.ObjectThreads,
        AllowThreadSpinning = model.AllowThreadSpinning,
        Providers = ProvidersFor(model),
    };

    /// <summary><c>Model:ConcurrentRuns</c>, or its automatic choice: 1 when every graph is on the CPU, else 2.</summary>
    public static int ConcurrentRunsFor(ModelOptions model, IReadOnlyList<ExecutionProvider> providers)
    {
        if (model.ConcurrentRuns > 0)
        {
            return model.ConcurrentRuns;
        }

        foreach (var provider in providers)
        {
            if (provider != ExecutionProvider.Cpu)
            {
                return 2;
            }
        }

        return 1;
    }

    /// <summary>The largest shapes the tracker can ask for, which TensorRT's profiles must cover.</summary>
    public static Sam2Limits LimitsFor(TrackingOptions tracking) => new()
    {
        MaxObjects = tracking.MaxObjects,
        // A box adds two corner points to the clicks (Sam2Tracker sizes its buffers the same way).
        MaxPromptPoints = tracking.MaxPromptPoints + 2,
        MaxConditioningEntries = tracking.MaxConditioningEntries,
    };

    private static List<ExecutionProviderSpec> ProvidersFor(ModelOptions model)
    {
        var specs = new List<ExecutionProviderSpec>();
        foreach (var kind in model.Providers)
        {
            specs.Add(kind switch
            {
                ExecutionProviderKind.TensorRt => new TensorRtProviderSpec(model.DeviceId, model.TensorRtFp16, model.TensorRtCachePath, (long)model.TensorRtWorkspaceMiB << 20),
                ExecutionProviderKind.Cuda => new CudaProviderSpec(model.DeviceId, (long)model.CudaArenaLimitMiB << 20, model.CudnnSearch.ToString().ToUpperInvariant()),
                _ => ExecutionProviderSpec.Cpu,
            });
        }

        return specs;
    }
}
