using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Testing;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>The retained <c>{base}/available</c> never goes stale: online while up, stopped after a clean stop, offline (the will) after a crash.</summary>
[Collection(AgentCollection.Name)]
public sealed class AvailabilityTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StopAsync_CleanStop_PublishesStoppedRetained()
    {
        await using var rig = await AgentRig.StartAsync(scene, "stop", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false));
        var (probe, @base, config) = (rig.Probe, rig.Base, rig.Config);
        using (var host = AgentHost.Build(["--config", config]))
        {
            await host.StartAsync();
            await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
            var status = await probe.WaitForAsync(m => m.Topic == @base + "/cam1/status" && MqttProbe.Text(m).Contains("\"disabled\""), Timeout, "status disabled");
            Assert.True(status.Retain || MqttProbe.Text(status).Length > 0);
            await probe.WaitForTextAsync(@base + "/cam1/state", """{"enabled":false}""", Timeout);
            await host.StopAsync();
        }

        await probe.WaitForTextAsync(@base + "/available", "stopped", Timeout);

        // A client that arrives later sees the retained "stopped", not a stale "online".
        await using var late = await MqttProbe.StartAsync(rig.Broker, @base + "/available");
        var retained = await late.WaitForAsync(m => m.Topic == @base + "/available", Timeout, "the retained availability");
        Assert.Equal("stopped", MqttProbe.Text(retained));
        Assert.True(retained.Retain);
    }

    [Fact]
    public async Task Kill_AgentProcessDies_BrokerPublishesOfflineWill()
    {
        await using var rig = await AgentRig.StartAsync(scene, "kill", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false));
        var (probe, @base, config) = (rig.Probe, rig.Base, rig.Config);
        await using var agent = ChildAgent.Start(config);
        try
        {
            await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nAgent output:\n" + agent.Output);
        }

        agent.Kill();
        var offline = await probe.WaitForTextAsync(@base + "/available", "offline", Timeout);
        Assert.True(offline.Retain || MqttProbe.Text(offline) == "offline");
        Assert.DoesNotContain(probe.Messages, m => m.Topic == @base + "/available" && MqttProbe.Text(m) == "stopped");
    }

    [Fact]
    public async Task Kill_AgentWhileStreaming_RetainedCameraStatusExpiresInsteadOfSayingStreaming()
    {
        await using var rig = await AgentRig.StartAsync(scene, "stale", AgentConfig.Camera("cam1", scene.Path, "Live", enabled: true, loop: true));
        var status = rig.Base + "/cam1/status";
        await using var agent = ChildAgent.Start(rig.Config);
        await rig.Probe.WaitForAsync(m => m.Topic == status && MqttProbe.Text(m).Contains("\"streaming\"", StringComparison.Ordinal), Timeout, "a streaming status");
        Assert.Contains("\"streaming\"", await RetainedReader.ReadAsync(rig, status, waitSeconds: 2), StringComparison.Ordinal);

        agent.Kill();
        await rig.Probe.WaitForTextAsync(rig.Base + "/available", "offline", Timeout);

        // The broker drops the retained status once its expiry (30 s) has run out with no refresh: poll until a new
        // subscriber gets nothing retained, at most a minute.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string retained;
        do
        {
            retained = await RetainedReader.ReadAsync(rig, status, waitSeconds: 2);
        }
        while (retained.Length > 0 && DateTime.UtcNow < deadline);

        Assert.Equal("", retained);
    }

    [Fact]
    public async Task Sigterm_AgentProcess_PublishesStoppedAndExitsZero()
    {
        await using var rig = await AgentRig.StartAsync(scene, "term", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false));
        var (probe, @base, config) = (rig.Probe, rig.Base, rig.Config);
        await using var agent = ChildAgent.Start(config);
        await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(Timeout));
        await probe.WaitForTextAsync(@base + "/available", "stopped", Timeout);
        Assert.DoesNotContain(probe.Messages, m => m.Topic == @base + "/available" && MqttProbe.Text(m) == "offline");
    }

    [Fact]
    public async Task Run_ConfigWithUnknownKeyAndBadValue_ExitsNonZeroListingBoth()
    {
        var path = Path.Combine(scene.Directory, "bad-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        await File.WriteAllTextAsync(path, """{"EdgeSam2":{"Mqtt":{"Port":70000,"Hots":"x"},"Cameras":[{"Id":"cam1","Url":"rtsp://127.0.0.1:1/x"}]}}""");
        await using var agent = ChildAgent.Start(path);
        var code = await agent.WaitForExitAsync(Timeout);
        Assert.Equal(2, code);
        Assert.Contains("EdgeSam2:Mqtt:Hots: unknown option", agent.Output, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Mqtt:Port: 70000 is outside 1..65535", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OrtLibraryIsNotALibrary_ExitsThreeWithTheLoaderMessage()
    {
        var config = JsonSerializer.Serialize(new
        {
            EdgeSam2 = new
            {
                Model = new { Manifest = Path.Combine(RepoPaths.TestModels, "manifest.json"), OrtLibrary = scene.Path }, // a video, not a shared library
                Cameras = new[] { new { Id = "cam1", Url = "rtsp://127.0.0.1:1/x" } },
            },
        });
        var path = Path.Combine(scene.Directory, "noort-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        await File.WriteAllTextAsync(path, config);
        await using var agent = ChildAgent.Start(path);
        var code = await agent.WaitForExitAsync(Timeout);
        Assert.Equal(ExitCodes.ModelUnusable, code);
        Assert.Contains("the model set cannot be used: ONNX Runtime library", agent.Output, StringComparison.Ordinal);
        Assert.Contains("two-targets.mkv", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SystemOrtOlderThanTheManagedApi_ExitsThreeNamingBothVersions()
    {
        var library = NativeLibraries.BuildFakeOrt(scene.Directory, "1.16.3");
        var path = Path.Combine(scene.Directory, "oldort-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
        {
            EdgeSam2 = new
            {
                Model = new { Manifest = Path.Combine(RepoPaths.TestModels, "manifest.json"), OrtLibrary = library },
                Cameras = new[] { new { Id = "cam1", Url = "rtsp://127.0.0.1:1/x" } },
            },
        }));
        await using var agent = ChildAgent.Start(path);

        Assert.Equal(ExitCodes.ModelUnusable, await agent.WaitForExitAsync(Timeout));
        Assert.Contains($"'{library}' is version 1.16.3; this agent's managed API is 1.31", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SystemOrtLibraryGiven_LoadsThatLibraryAndStreams()
    {
        var library = Path.Combine(scene.Directory, "system-ort", "libonnxruntime.so.1.31");
        Directory.CreateDirectory(Path.GetDirectoryName(library)!);
        File.Copy(NativeLibraries.PackagedOrt, library, overwrite: true);
        await using var rig = await AgentRig.StartAsync(scene, "sysort", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: true));
        await using var agent = ChildAgent.Start(rig.Config, new Dictionary<string, string>
        {
            ["EDGESAM2_EdgeSam2__Model__OrtLibrary"] = library,
            ["EDGESAM2_Logging__LogLevel__EdgeSam2.Agent.Models"] = "Information",
        });

        await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
        await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/tracks", Timeout, "a tracks message");
        Assert.Contains($"loaded from {library}", agent.Output, StringComparison.Ordinal);
    }
}
