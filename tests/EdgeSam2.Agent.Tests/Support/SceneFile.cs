using EdgeSam2.Scenes;

namespace EdgeSam2.Agent.Tests.Support;

/// <summary>StandardScenes.TwoTargets rendered once to a lossless .mkv, shared by the end-to-end tests.</summary>
public sealed class SceneFile : IAsyncLifetime
{
    public SceneSpec Spec { get; } = StandardScenes.TwoTargets();

    public SceneRenderer Renderer { get; private set; } = null!;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("edgesam2-agent-").FullName;

    public string Path => System.IO.Path.Combine(Directory, "two-targets.mkv");

    public async Task InitializeAsync()
    {
        Renderer = new SceneRenderer(Spec);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await SceneVideo.WriteAsync(Spec, Path, timeout.Token);
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class AgentCollection : ICollectionFixture<SceneFile>
{
    /// <summary>End-to-end tests run one at a time: each runs a real agent, broker and decoder on 2 cores.</summary>
    public const string Name = "agent end to end";
}
