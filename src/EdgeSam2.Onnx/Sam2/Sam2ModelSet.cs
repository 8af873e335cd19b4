using EdgeSam2.Onnx.Preparation;
using FramePreparationMode = EdgeSam2.Onnx.Preparation.FramePreparation;
using EdgeSam2.Onnx.Providers;
using EdgeSam2.Tracking.Sam2;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using static EdgeSam2.Onnx.Sam2.Sam2Graphs;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// A SAM 2 model set loaded once per agent: four ORT sessions, checked against the contract, each on the first
/// provider that takes it. Sessions serve concurrent runs, so every camera shares one set through its own
/// <see cref="OnnxSam2Model"/> (<see cref="CreateModel"/>), which holds only that camera's bindings.
/// </summary>
public sealed class Sam2ModelSet : IDisposable
{
    private readonly OpenedSession[] _sessions;
    private OpenedSession? _preparation;

    private Sam2ModelSet(Sam2Manifest manifest, OpenedSession[] sessions, Sam2ModelInfo info)
    {
        Manifest = manifest;
        _sessions = sessions;
        Info = info;
        Provider = Describe();
    }

    /// <summary>The manifest the set was loaded from.</summary>
    public Sam2Manifest Manifest { get; }

    /// <summary>Sizes read from the graphs and the manifest.</summary>
    public Sam2ModelInfo Info { get; }

    /// <summary>
    /// "image_encoder=CPU, mask_decoder=TensorRT, …, frame_preparation=kernel": the provider of each graph and how frames
    /// are prepared ("kernel", or "graph on CPU"/"graph on CUDA"), for status and logs.
    /// </summary>
    public string Provider { get; private set; }

    /// <summary>"kernel", or "graph on …" with the preparation graph's provider.</summary>
    public string FramePreparationInUse => _preparation is { } p ? $"graph on {ProviderName(p.Provider)}" : "kernel";

    /// <summary>The preparation graph's session when frames are prepared by it; null with the kernel.</summary>
    internal OpenedSession? PreparationSession => _preparation;

    /// <summary>The GPU the preparation graph's output lives on (CUDA/TensorRT device id).</summary>
    internal int PreparationDevice { get; private set; }

    /// <summary>
    /// Threads each camera's per-object graph calls are split across (<see cref="SessionSettings.ObjectThreads"/>, or
    /// its automatic choice for these graphs' providers), at most what a call of <see cref="Sam2Limits.MaxObjects"/>
    /// objects can use: 1 runs a call whole on the camera's thread.
    /// </summary>
    public int ObjectThreads { get; private set; } = 1;

    private bool PerObjectGraphsOnCpu => _sessions.Skip(1).All(s => s.Provider == ExecutionProvider.Cpu);

    /// <summary>The provider each graph runs on, in <see cref="Sam2Graphs.Modules"/> order.</summary>
    public IReadOnlyList<ExecutionProvider> Providers => _sessions.Select(s => s.Provider).ToArray();

    internal InferenceSession Encoder => _sessions[0].Session;

    internal InferenceSession Decoder => _sessions[1].Session;

    internal InferenceSession Attention => _sessions[2].Session;

    internal InferenceSession MemoryEncoder => _sessions[3].Session;

    /// <summary>
    /// Reads the manifest, opens the four graphs and checks them against the contract; every problem is reported at
    /// once and nothing stays open on failure. With a GPU provider configured, the graphs are first opened on CPU
    /// without optimisation to read their shapes (a bad file fails there, named, not as a provider failure), then
    /// on the providers with TensorRT profiles that cover every shape <paramref name="limits"/> allows.
    /// <paramref name="framePreparation"/> decides whether the preparation graph (models/prep) is opened too.
    /// </summary>
    /// <exception cref="Sam2ModelException">The manifest, a file or a graph does not fit the contract.</exception>
    public static Sam2ModelSet Load(
        string manifestPath, SessionSettings settings, Sam2Limits? limits = null, bool verifyChecksums = true, ILogger? logger = null,
        FramePreparationMode framePreparation = FramePreparationMode.Auto)
    {
        var set = LoadGraphs(manifestPath, settings, limits, verifyChecksums, logger ?? NullLogger.Instance);
        try
        {
            var wanted = settings.ObjectThreads > 0
                ? settings.ObjectThreads
                : SessionSettings.AutoObjectThreads(Environment.ProcessorCount, settings.IntraOpThreadsInUse, set.PerObjectGraphsOnCpu);
            // A call is split into shares of MinObjectsPerShare objects at least, so more threads than the largest call
            // can use would only sit idle, each with its own bindings.
            set.ObjectThreads = Math.Clamp((limits ?? new Sam2Limits()).MaxObjects / OnnxSam2Model.MinObjectsPerShare, 1, wanted);
            set.OpenPreparation(framePreparation, settings, new SessionOpener(logger ?? NullLogger.Instance));
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    private static Sam2ModelSet LoadGraphs(string manifestPath, SessionSettings settings, Sam2Limits? limits, bool verifyChecksums, ILogger logger)
    {
        limits ??= new Sam2Limits();

        // Before any SessionOptions: the managed API creates a default environment on first use, after which ours
        // (with its log routing) can no longer be made.
        _ = Runtime.OrtRuntime.Environment();
        var manifest = Sam2Manifest.Load(manifestPath, verifyChecksums);
        var opener = new SessionOpener(logger);
        var sessions = new List<OpenedSession>(4);
        try
        {
            if (!settings.WantsGpu)
            {
                foreach (var module in Modules)
                {
                    sessions.Add(OpenChecked(module, manifest.PathOf(module), () => opener.Open(module, manifest.PathOf(module), settings)));
                }

                return new Sam2ModelSet(manifest, [.. sessions], ReadInfo(manifest, sessions));
            }

            Sam2ModelInfo info;
            var signatures = new GraphSignature[4];
            using (var probe = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL })
            {
                for (var i = 0; i < 4; i++)
                {
                    var path = manifest.PathOf(Modules[i]);
                    using var session = OpenChecked(Modules[i], path, () => new OpenedSession(new InferenceSession(path, probe), ExecutionProvider.Cpu)).Session;
                    signatures[i] = GraphSignature.Of(path, session);
                }

                info = Sam2ContractCheck.ReadInfo(manifest, signatures[0], signatures[1], signatures[2], signatures[3]);
            }

            var profiles = Sam2Profiles.For(info, limits, (module, input) =>
                signatures[Array.IndexOf(Modules, module)].Inputs.Any(t => t.Name == input && t.Shape.Any(d => d < 0)));
            for (var i = 0; i < 4; i++)
            {
                var module = Modules[i];
                var profile = profiles.GetValueOrDefault(module);
                sessions.Add(OpenChecked(module, manifest.PathOf(module), () => opener.Open(module, manifest.PathOf(module), settings, profile)));
            }

            return new Sam2ModelSet(manifest, [.. sessions], info);
        }
        catch
        {
            foreach (var s in sessions)
            {
                s.Session.Dispose();
            }

            throw;
        }
    }

    /// <summary>A per-camera model over these shared sessions.</summary>
    public OnnxSam2Model CreateModel() => new(this);

    public void Dispose()
    {
        foreach (var s in _sessions)
        {
            s.Session.Dispose();
        }

        _preparation?.Session.Dispose();
        _preparation = null;
    }

    /// <summary>
    /// Opens the preparation graph when <paramref name="mode"/> asks for it, on the image encoder's provider: CPU with
    /// a CPU encoder, CUDA on the same device with a CUDA or TensorRT encoder (its output is then device memory the
    /// encoder reads in place; the graph's frame-sized dynamic axes would make TensorRT build engines mid-stream).
    /// </summary>
    private void OpenPreparation(FramePreparationMode mode, SessionSettings settings, SessionOpener opener)
    {
        var encoder = _sessions[0].Provider;
        var useGraph = mode == FramePreparationMode.Graph || (mode == FramePreparationMode.Auto && encoder != ExecutionProvider.Cpu);
        if (!useGraph)
        {
            return;
        }

        var device = settings.Providers.FirstOrDefault(p => p.Kind == encoder) switch
        {
            CudaProviderSpec cuda => cuda,
            TensorRtProviderSpec trt => new CudaProviderSpec(trt.DeviceId),
            _ => null,
        };
        var bytes = FramePreparationGraph.Load();
        var on = settings with { Providers = device is null ? [ExecutionProviderSpec.Cpu] : [device, ExecutionProviderSpec.Cpu] };
        _preparation = OpenChecked(FramePreparationGraph.Name, "(embedded)", () => opener.Open(FramePreparationGraph.Name, options => new InferenceSession(bytes, options), on));
        PreparationDevice = device?.DeviceId ?? 0;
        Provider = Describe();
    }

    private string Describe() =>
        string.Join(", ", Modules.Select((m, i) => $"{m}={ProviderName(_sessions[i].Provider)}")) + $", frame_preparation={FramePreparationInUse}";

    /// <summary>ORT's provider name in the words users see in status and logs.</summary>
    public static string ProviderName(ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.TensorRt => "TensorRT",
        ExecutionProvider.Cuda => "CUDA",
        _ => "CPU",
    };

    private static Sam2ModelInfo ReadInfo(Sam2Manifest manifest, List<OpenedSession> s) =>
        Sam2ContractCheck.ReadInfo(manifest, Signature(manifest, 0, s[0]), Signature(manifest, 1, s[1]), Signature(manifest, 2, s[2]), Signature(manifest, 3, s[3]));

    private static GraphSignature Signature(Sam2Manifest manifest, int i, OpenedSession s) => GraphSignature.Of(manifest.PathOf(Modules[i]), s.Session);

    private static OpenedSession OpenChecked(string module, string path, Func<OpenedSession> open)
    {
        try
        {
            return open();
        }
        catch (OnnxRuntimeException e)
        {
            throw new Sam2ModelException($"graphs.{module}: ONNX Runtime cannot open '{path}': {Runtime.OrtMessages.FirstLine(e.Message)}", e);
        }
    }
}
