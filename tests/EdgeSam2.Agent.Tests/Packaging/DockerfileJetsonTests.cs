using System.Text.RegularExpressions;
using EdgeSam2.Testing;

namespace EdgeSam2.Agent.Tests.Packaging;

/// <summary>
/// Dockerfile.jetson cannot be built here (no Docker engine): what can be checked without building it is checked —
/// that what it copies from the repository exists and is in the build context, that its ONNX Runtime is new enough for
/// the agent, and that it runs as non-root with a health check.
/// </summary>
public sealed partial class DockerfileJetsonTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "Dockerfile.jetson"));

    [Fact]
    public void Copy_FromTheBuildContext_EverySourceExistsAndIsNotIgnored()
    {
        var ignored = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Replace("**/", "", StringComparison.Ordinal).TrimEnd('/'))
            .ToList();
        var copies = Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var words = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            foreach (var source in words)
            {
                var path = Path.Combine(RepoPaths.Root, source.TrimEnd('/'));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"Dockerfile.jetson copies '{source}', which the repository does not have");
                Assert.DoesNotContain(ignored, i => source.TrimEnd('/') == i || source.StartsWith(i + "/", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void OrtVersion_Pinned_AtLeastWhatTheAgentIsBuiltAgainst()
    {
        var pinned = Version.Parse(Arg("ORT_VERSION"));
        var props = File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Packages.props"));
        var managed = OrtPackage().Matches(props).Select(m => Version.Parse(m.Groups["v"].Value)).ToList();
        Assert.NotEmpty(managed);

        Assert.True(pinned >= managed.Max(), $"Dockerfile.jetson builds ONNX Runtime {pinned}, older than the {managed.Max()} the agent is built against");
    }

    [Fact]
    public void Runtime_Image_NonRootWithHealthCheckOnHealthz()
    {
        var runtime = Lines.SkipWhile(l => !l.StartsWith("# --- 3.", StringComparison.Ordinal)).ToList();
        Assert.Contains(runtime, l => l.StartsWith("USER edgesam2", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.Contains("http://127.0.0.1:9464/healthz", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.Contains("EDGESAM2_EdgeSam2__Model__OrtLibrary=/opt/edgesam2/onnxruntime/libonnxruntime.so.1", StringComparison.Ordinal));
    }

    private static string Arg(string name) =>
        Lines.Single(l => l.StartsWith($"ARG {name}=", StringComparison.Ordinal))[$"ARG {name}=".Length..];

    [GeneratedRegex("""<PackageVersion Include="Microsoft\.ML\.OnnxRuntime[^"]*" Version="(?<v>[0-9.]+)" """)]
    private static partial Regex OrtPackage();
}
