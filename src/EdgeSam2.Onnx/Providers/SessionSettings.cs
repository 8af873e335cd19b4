namespace EdgeSam2.Onnx.Providers;

/// <summary>How a graph's session is opened: threads, graph optimisation, and the providers to try in order.</summary>
public sealed record SessionSettings
{
    /// <summary>CPU only, ORT's default thread counts, spinning off.</summary>
    public static SessionSettings Default { get; } = new();

    /// <summary>Threads that split one operator's work; 0: <see cref="AutoIntraOpThreads"/>.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// What <see cref="IntraOpThreads"/> 0 means on a box with <paramref name="logicalCores"/>: one thread on a box of two
    /// cores or fewer, else 0 (ORT picks: one per physical core). On 2 cores the camera's decoder and the agent's host
    /// work need the second core; ORT's second thread there made the graphs' time bimodal (2.4 or 4.5 ms a frame at one
    /// object with the test models) and the agent no faster (README, Performance). Larger boxes are not measured yet.
    /// </summary>
    public static int AutoIntraOpThreads(int logicalCores) => logicalCores <= 2 ? 1 : 0;

    /// <summary>
    /// Threads a per-object graph call for several objects is split across, each running a share of the objects on
    /// its own; 0: <see cref="AutoObjectThreads"/>.
    /// </summary>
    public int ObjectThreads { get; init; }

    /// <summary>
    /// What <see cref="ObjectThreads"/> 0 means: two when the per-object graphs run on the CPU with one ORT thread each
    /// (<paramref name="intraOpThreads"/>, after <see cref="AutoIntraOpThreads"/>) on a box of two cores or more, else
    /// one. One ORT thread leaves a core idle while a camera's objects run one after another; a split of the objects
    /// across two threads uses it (README, Performance: "A frame's objects split across the two cores"). With ORT's own threads on every
    /// core, or a GPU provider, a split has no idle core to use and is not measured.
    /// </summary>
    public static int AutoObjectThreads(int logicalCores, int intraOpThreads, bool perObjectGraphsOnCpu) =>
        perObjectGraphsOnCpu && logicalCores >= 2 && intraOpThreads == 1 ? 2 : 1;

    /// <summary>ORT threads per operator as sessions are opened: <see cref="IntraOpThreads"/>, or its automatic choice (0: ORT picks).</summary>
    public int IntraOpThreadsInUse => IntraOpThreads > 0 ? IntraOpThreads : AutoIntraOpThreads(Environment.ProcessorCount);

    /// <summary>Threads that run independent operators side by side; 0 lets ORT pick.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>
    /// Whether idle ORT threads spin waiting for work. Default false: the four SAM 2 graphs run back to back, and
    /// spinning pools of the idle sessions steal the cores the running one needs (tests/EdgeSam2.Benchmarks/README.md).
    /// </summary>
    public bool AllowThreadSpinning { get; init; }

    /// <summary>
    /// Providers in order of preference. Each graph tries them in turn: one that is not in this build, fails to load
    /// or fails to build the graph is reported once with ORT's reason and the next is used. CPU is always the last
    /// resort, listed or not. Default: CPU only.
    /// </summary>
    public IReadOnlyList<ExecutionProviderSpec> Providers { get; init; } = [ExecutionProviderSpec.Cpu];

    /// <summary>Whether any provider other than CPU is asked for.</summary>
    public bool WantsGpu
    {
        get
        {
            foreach (var p in Providers)
            {
                if (p.Kind != ExecutionProvider.Cpu)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
