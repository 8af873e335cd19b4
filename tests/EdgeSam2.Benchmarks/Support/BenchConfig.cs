using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace EdgeSam2.Benchmarks.Support;

/// <summary>
/// The one job every benchmark runs: in process and short, so `make bench-micro` takes minutes on two cores.
/// </summary>
/// <remarks>
/// In process because BenchmarkDotNet's default toolchain generates and builds a project per benchmark below
/// this repository, where Directory.Build.props turns its generated code's warnings into errors; it also
/// saves a solution-sized rebuild per run. The cost is no process isolation between benchmarks, which the
/// tracker benchmarks make up for by opening their own ORT sessions in GlobalSetup.
/// </remarks>
internal sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            .WithId("Short"));
        ArtifactsPath = Path.Combine(RepoRoot.Path, "artifacts", "benchmarks");
    }
}
