using EdgeSam2.Onnx.Preparation;

namespace EdgeSam2.Agent.Options;

/// <summary>The SAM 2 model set and the ONNX Runtime library that runs it.</summary>
public sealed class ModelOptions
{
    /// <summary>The model set's manifest (models/README.md). Default <c>models/test/manifest.json</c>.</summary>
    public string Manifest { get; set; } = "models/test/manifest.json";

    /// <summary>
    /// A system ONNX Runtime library to use instead of the one in the NuGet package (a Jetson image's CUDA build).
    /// It must be at least as new as the managed API (checked at start). Default empty: the packaged library.
    /// </summary>
    public string OrtLibrary { get; set; } = "";

    /// <summary>
    /// Execution providers in order of preference, per graph; one that fails to load is logged and the next used.
    /// Default <c>["Cpu"]</c> (an empty list means the same).
    /// </summary>
    public List<ExecutionProviderKind> Providers { get; set; } = [];

    /// <summary>Threads ORT uses inside one operator; 0: one on a box of two cores or fewer, else ORT chooses (one per physical core). Default 0.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Threads a camera's per-object graph calls (mask decoder, memory attention, memory encoder for several objects)
    /// are split across, each running a share of the objects. 0: two when those graphs run on the CPU with one ORT
    /// thread each (a box of two cores, or <see cref="IntraOpThreads"/> 1) on two cores or more, else one. Default 0.
    /// </summary>
    public int ObjectThreads { get; set; }

    /// <summary>
    /// Let ORT's idle threads spin waiting for work. Default false: a camera runs its four graphs back to back, and
    /// spinning pools of the other sessions steal the cores the running one needs (tests/EdgeSam2.Benchmarks/README.md).
    /// </summary>
    public bool AllowThreadSpinning { get; set; }

    /// <summary>
    /// Graph runs that may execute at once on the shared model set, across all cameras; cameras take turns in arrival
    /// order (no camera starves while another tracks many objects). 0 chooses: 1 when every graph runs on the CPU
    /// (ORT's own threads already use every core), 2 with a GPU provider (one camera's host work and copies overlap
    /// another's run). Default 0.
    /// </summary>
    public int ConcurrentRuns { get; set; }

    /// <summary>Check each graph's SHA-256 against the manifest at load. Default true.</summary>
    public bool VerifyChecksums { get; set; } = true;

    /// <summary>TensorRT engine and timing cache folder, so only the first start builds engines. Default <c>/var/cache/edgesam2/tensorrt</c>.</summary>
    public string TensorRtCachePath { get; set; } = "/var/cache/edgesam2/tensorrt";

    /// <summary>Let TensorRT build fp16 engines. Default true.</summary>
    public bool TensorRtFp16 { get; set; } = true;

    /// <summary>Most device memory TensorRT may use while building a layer, in MiB. Default 2048.</summary>
    public int TensorRtWorkspaceMiB { get; set; } = 2048;

    /// <summary>GPU index for the CUDA and TensorRT providers. Default 0.</summary>
    public int DeviceId { get; set; }

    /// <summary>Cap on the CUDA provider's memory arena in MiB; 0 = no cap. Default 0.</summary>
    public int CudaArenaLimitMiB { get; set; }

    /// <summary>cuDNN convolution algorithm search for the CUDA provider: Exhaustive, Heuristic or Default. Default Exhaustive.</summary>
    public CudnnSearch CudnnSearch { get; set; } = CudnnSearch.Exhaustive;

    /// <summary>
    /// Where frames are resized and normalised: the host kernel, the preparation graph on the encoder's provider, or
    /// Auto (the graph with a CUDA/TensorRT encoder, the kernel on CPU). Default Auto.
    /// </summary>
    public FramePreparation FramePreparation { get; set; } = FramePreparation.Auto;
}

/// <summary>How the CUDA provider picks cuDNN convolution algorithms (ORT's cudnn_conv_algo_search).</summary>
public enum CudnnSearch
{
    /// <summary>Benchmark every algorithm once per shape: the fastest kernels, a slower first frame.</summary>
    Exhaustive,

    /// <summary>cuDNN's heuristic choice: no benchmarking.</summary>
    Heuristic,

    /// <summary>cuDNN's default algorithm.</summary>
    Default,
}

/// <summary>An ONNX Runtime execution provider the agent can ask for.</summary>
public enum ExecutionProviderKind
{
    /// <summary>The CPU provider: always available.</summary>
    Cpu,

    /// <summary>NVIDIA CUDA.</summary>
    Cuda,

    /// <summary>NVIDIA TensorRT (fp16, engine cache).</summary>
    TensorRt,
}
