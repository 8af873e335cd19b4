using System.Globalization;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Cli;
using EdgeSam2.Scenes;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// <c>edgesam2 prompt | remove | reset | set | watch</c> against the real agent and broker: each command's reply
/// (received on the CLI's own response topic under <c>{base}/replies/</c>) is printed, with the exit code to match.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class CliTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Cli_EveryCommandAgainstTheAgent_PrintsTheReplyWithItsExitCode()
    {
        await using var rig = await AgentRig.StartAsync(scene, "cli", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false));
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            string[] common = ["--host", rig.Broker.Host, "--port", rig.Broker.Port.ToString(CultureInfo.InvariantCulture), "--agent", rig.AgentId, "--timeout", "60"];
            var disc = scene.Renderer.CentreOf(0, StandardScenes.Two.DiscId);
            var square = scene.Renderer.CentreOf(0, StandardScenes.Two.SquareId);

            // The camera is paused: these wait for their frames, each CLI for its reply.
            // watch prints the retained status as soon as it has subscribed: from then on it sees every frame.
            using var watchOutput = new LineSignalWriter("cam1 status ");
            var watch = Run(watchOutput, common, "watch", "-c", "cam1", "--count", "20");
            await watchOutput.Seen.WaitAsync(Timeout);
            var one = Run(common, "prompt", "-c", "cam1", "--object-id", "1", "--label", "disc", "--frame", "0", "--point", Point(disc.X, disc.Y));
            var two = Run(common, "prompt", "-c", "cam1", "--object-id", "2", "--frame", "0", "--point", Point(square.X, square.Y) + ",1");
            var gone = Run(common, "remove", "-c", "cam1", "--object-id", "2", "--frame", "10");
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/remove", Timeout, "the remove to reach the broker");
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/prompt" && MqttProbe.Text(m).Contains("\"object_id\":2", StringComparison.Ordinal), Timeout, "the second prompt to reach the broker");

            var on = await Run(common, "set", "-c", "cam1", "--enabled", "true");
            Assert.Equal((CliApp.Ok, "ok camera enabled"), (on.Code, on.Output.Trim()));
            Assert.Equal((CliApp.Ok, "ok object 1 on frame 0"), Result(await one));
            Assert.Equal((CliApp.Ok, "ok object 2 on frame 0"), Result(await two));
            Assert.Equal((CliApp.Ok, "ok object 2 on frame 10"), Result(await gone));

            var watched = await watch;
            Assert.Equal(CliApp.Ok, watched.Code);
            Assert.Contains("cam1 frame 0 ", watched.Output, StringComparison.Ordinal);
            Assert.Contains(" #1 disc tracking [", watched.Output, StringComparison.Ordinal);
            Assert.Contains("| #2 tracking [", watched.Output, StringComparison.Ordinal);
            Assert.Contains("cam1 event created #1 on frame 0", watched.Output, StringComparison.Ordinal);

            // The file ends: a reset is refused, and the CLI says so with exit code 1; --json prints the agent's reply as is.
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/status" && MqttProbe.Text(m).Contains("\"finished\"", StringComparison.Ordinal), Timeout, "status finished");
            var reset = await Run(common, "reset", "-c", "cam1");
            Assert.Equal(CliApp.Refused, reset.Code);
            Assert.StartsWith("error camera: ", reset.Output, StringComparison.Ordinal);
            var json = await Run(common, "--json", "set", "-c", "cam1", "--enabled", "false");
            Assert.Equal(CliApp.Ok, json.Code);
            Assert.Contains("\"status\":\"ok\",\"enabled\":false", json.Output, StringComparison.Ordinal);

            // Nothing answers an agent that is not there; bad arguments are caught before anything is sent.
            var nobody = await Run(["--host", rig.Broker.Host, "--port", rig.Broker.Port.ToString(CultureInfo.InvariantCulture), "--agent", "nobody", "--timeout", "1"], "reset", "-c", "cam1");
            Assert.Equal(CliApp.NoReply, nobody.Code);
            Assert.Contains("no reply", nobody.Error, StringComparison.Ordinal);
            var bad = await Run(common, "prompt", "-c", "cam1", "--point", "1,x");
            Assert.Equal(CliApp.BadArguments, bad.Code);
            Assert.Contains("'x' is not a number", bad.Error, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static string Point(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"{x},{y}");

    private static (int, string) Result(CliRun run) => (run.Code, run.Output.Trim());

    private static async Task<CliRun> Run(string[] common, params string[] args)
    {
        using var output = new StringWriter();
        return await Run(output, common, args);
    }

    private static async Task<CliRun> Run(StringWriter output, string[] common, params string[] args)
    {
        using var error = new StringWriter();
        var code = await Task.Run(() => CliApp.RunAsync([.. args[..1], .. common, .. args[1..]], output, error));
        return new CliRun(code, output.ToString(), error.ToString());
    }

    private sealed record CliRun(int Code, string Output, string Error);

    /// <summary>Captures output and completes <see cref="Seen"/> once a line containing the text is written.</summary>
    private sealed class LineSignalWriter(string text) : StringWriter(CultureInfo.InvariantCulture)
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public override Task WriteLineAsync(string? value)
        {
            var written = base.WriteLineAsync(value);
            if (value is not null && value.Contains(text, StringComparison.Ordinal))
            {
                _seen.TrySetResult();
            }

            return written;
        }
    }
}
