using System.Text.Json;
using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// <c>{base}/{cam}/snapshot</c>: a JPEG of the frame an operator sees, named by its frame number, on request
/// (<c>capture</c>) and at a period; a prompt that names that frame lands on it.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class SnapshotTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Capture_DeterministicCamera_JpegShowsThatFrameAndAPromptNamingItLandsOnIt()
    {
        await using var rig = await AgentRig.StartAsync(scene, "snap", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: true));
        using var host = AgentHost.Build(["--config", rig.Config]);
        Assert.True(host.Services.GetRequiredService<CameraRegistry>().TryGet("cam1", out var camera));

        // Hold frame 10 until the request is in; then hold the frame the snapshot is taken of until the prompt that
        // names it waits in the camera's inbox, as an operator's click would if the tracker were slower than them.
        const long First = 10;
        var atFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var prompted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        camera.FrameGate = async (sequence, token) =>
        {
            if (sequence == First)
            {
                atFirst.TrySetResult();
                await requested.Task.WaitAsync(token);
            }
            else if (sequence == camera.LastSnapshotFrame)
            {
                await prompted.Task.WaitAsync(token);
            }
        };
        await host.StartAsync();
        try
        {
            await atFirst.Task.WaitAsync(Timeout);
            await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            await rig.Probe.PublishAsync(rig.Base + "/cam1/capture", """{"request_id":"snap-1"}""");
            await FenceAsync(rig, "fence-1");
            requested.SetResult();

            var reply = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/reply" && MqttProbe.Text(m).Contains("\"snap-1\"", StringComparison.Ordinal), Timeout, "the capture reply");
            using var replyJson = JsonDocument.Parse(reply.Payload);
            Assert.Equal("ok", replyJson.RootElement.GetProperty("status").GetString());
            var frame = replyJson.RootElement.GetProperty("frame").GetInt64();
            Assert.True(frame > First, $"the snapshot names frame {frame}, taken after the request");
            Assert.Equal(frame, camera.LastSnapshotFrame);

            var jpeg = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/snapshot" && Property(m, "frame") == frame.ToString(System.Globalization.CultureInfo.InvariantCulture), Timeout, "the JPEG of that frame");
            var info = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/snapshot/info", Timeout, "the snapshot's companion");
            await SchemaCheck.AssertValidAsync([("reply", MqttProbe.Text(reply)), ("snapshot", MqttProbe.Text(info))]);
            using (var infoJson = JsonDocument.Parse(info.Payload))
            {
                Assert.Equal(frame, infoJson.RootElement.GetProperty("frame").GetInt64());
                Assert.Equal(jpeg.Payload.Length, infoJson.RootElement.GetProperty("bytes").GetInt32());
                Assert.Equal("request", infoJson.RootElement.GetProperty("reason").GetString());
                Assert.Equal(replyJson.RootElement.GetProperty("capture_time").GetString(), infoJson.RootElement.GetProperty("capture_time").GetString());
            }

            Assert.Equal("image/jpeg", jpeg.ContentType);
            Assert.Equal(replyJson.RootElement.GetProperty("capture_time").GetString(), Property(jpeg, "capture_time"));

            // The picture: the source's size, close to the scene's frame pixel for pixel, and the blue square where
            // the ground truth puts it on that frame (it moves 5 px a frame, so a neighbouring frame would not fit).
            using var image = SKBitmap.Decode(jpeg.Payload.ToArray());
            Assert.NotNull(image);
            Assert.Equal((StandardScenes.Two.Width, StandardScenes.Two.Height), (image.Width, image.Height));
            var pixels = image.Pixels;
            var expected = scene.Renderer.RenderFrame((int)frame);
            Assert.True(MeanAbsDifference(pixels, expected) < 8, $"mean abs difference to frame {frame}: {MeanAbsDifference(pixels, expected):F2}");
            var (cx, cy) = BlueCentroid(pixels, image.Width);
            var truth = scene.Renderer.CentreOf((int)frame, StandardScenes.Two.SquareId);
            Assert.True(Math.Abs(cx - truth.X) < 1.5 && Math.Abs(cy - truth.Y) < 1.5, $"blue square at ({cx:F1}, {cy:F1}) in the JPEG, ({truth.X:F1}, {truth.Y:F1}) on frame {frame}");

            // The operator clicks on what they saw, naming the frame; a later command's reply proves the router has
            // queued the prompt before the frame is let through.
            var x = (int)Math.Round(cx);
            var y = (int)Math.Round(cy);
            await rig.Probe.PublishAsync(rig.Base + "/cam1/prompt", $$"""{"request_id":"click","points":[[{{x}},{{y}},1]],"frame":{{frame}}}""");
            await FenceAsync(rig, "fence-2");
            Assert.Equal(1, camera.WaitingCommands);
            prompted.SetResult();

            var applied = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/reply" && MqttProbe.Text(m).Contains("\"click\"", StringComparison.Ordinal), Timeout, "the prompt's reply");
            using var appliedJson = JsonDocument.Parse(applied.Payload);
            Assert.Equal("ok", appliedJson.RootElement.GetProperty("status").GetString());
            Assert.Equal(frame, appliedJson.RootElement.GetProperty("frame").GetInt64());
            var tracks = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/tracks" && JsonDocument.Parse(m.Payload).RootElement.GetProperty("frame").GetInt64() == frame, Timeout, "the tracks of that frame");
            var box = JsonDocument.Parse(tracks.Payload).RootElement.GetProperty("objects")[0].GetProperty("bbox").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            Assert.True(box[0] <= x && x < box[2] && box[1] <= y && y < box[3], $"the object's box [{string.Join(", ", box)}] holds the click ({x}, {y})");
        }
        finally
        {
            prompted.TrySetResult();
            requested.TrySetResult();
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Cli_Snapshot_SavesTheJpegOfTheFrameItPrints()
    {
        await using var rig = await AgentRig.StartAsync(scene, "snapcli", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: true));
        using var host = AgentHost.Build(["--config", rig.Config]);
        Assert.True(host.Services.GetRequiredService<CameraRegistry>().TryGet("cam1", out var camera));
        var atFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        camera.FrameGate = async (sequence, token) =>
        {
            if (sequence == 5)
            {
                atFirst.TrySetResult();
                await requested.Task.WaitAsync(token);
            }
        };
        var file = Path.Combine(scene.Directory, "cli-snapshot.jpg");
        await host.StartAsync();
        try
        {
            await atFirst.Task.WaitAsync(Timeout);
            await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            using var output = new StringWriter();
            using var error = new StringWriter();
            string[] args = ["snapshot", "--host", rig.Broker.Host, "--port", rig.Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--agent", rig.AgentId, "--timeout", "60", "-c", "cam1", "-o", file];
            var run = Task.Run(() => Cli.CliApp.RunAsync(args, output, error));
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/capture", Timeout, "the CLI's capture request");
            await FenceAsync(rig, "fence-cli");
            requested.SetResult();

            Assert.Equal(Cli.CliApp.Ok, await run.WaitAsync(Timeout));
            var printed = System.Text.RegularExpressions.Regex.Match(output.ToString(), @"^ok frame (\d+) captured \S+Z, 512x384, (\d+) bytes: ");
            Assert.True(printed.Success, output.ToString() + error);
            var frame = int.Parse(printed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal(printed.Groups[2].Value, bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var image = SKBitmap.Decode(bytes);
            var (cx, cy) = BlueCentroid(image.Pixels, image.Width);
            var truth = scene.Renderer.CentreOf(frame, StandardScenes.Two.SquareId);
            Assert.True(Math.Abs(cx - truth.X) < 1.5 && Math.Abs(cy - truth.Y) < 1.5, $"blue square at ({cx:F1}, {cy:F1}) in the saved JPEG, ({truth.X:F1}, {truth.Y:F1}) on frame {frame}");
        }
        finally
        {
            requested.TrySetResult();
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Snapshot_IntervalSet_PeriodicJpegsOfLaterFramesWithoutARequest()
    {
        await using var rig = await AgentRig.StartAsync(scene, "snapper", AgentConfig.Camera("cam1", scene.Path, "Live", enabled: true, loop: true));
        using var host = AgentHost.Build(["--config", rig.Config, "--EdgeSam2:Snapshot:IntervalSeconds=0.2"]);
        await host.StartAsync();
        try
        {
            var first = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/snapshot/info", Timeout, "a periodic snapshot");
            var firstFrame = JsonDocument.Parse(first.Payload).RootElement.GetProperty("frame").GetInt64();
            var later = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/snapshot/info" && JsonDocument.Parse(m.Payload).RootElement.GetProperty("frame").GetInt64() > firstFrame, Timeout, "a later periodic snapshot");
            await SchemaCheck.AssertValidAsync([("snapshot", MqttProbe.Text(first)), ("snapshot", MqttProbe.Text(later))]);
            Assert.Equal("periodic", JsonDocument.Parse(later.Payload).RootElement.GetProperty("reason").GetString());
            var jpeg = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/snapshot", Timeout, "a periodic JPEG");
            using var image = SKBitmap.Decode(jpeg.Payload.ToArray());
            Assert.Equal((StandardScenes.Two.Width, StandardScenes.Two.Height), (image.Width, image.Height));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Capture_DisabledCamera_RefusedNamingTheCamera()
    {
        await using var rig = await AgentRig.StartAsync(scene, "snapoff", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false));
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            await rig.Probe.PublishAsync(rig.Base + "/cam1/capture", """{"request_id":"off"}""");
            var reply = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/reply", Timeout, "the refusal");
            using var json = JsonDocument.Parse(reply.Payload);
            Assert.Equal("error", json.RootElement.GetProperty("status").GetString());
            Assert.Equal("camera", json.RootElement.GetProperty("field").GetString());
            Assert.Contains("disabled", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(rig.Probe.Messages, m => m.Topic == rig.Base + "/cam1/snapshot");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static string? Property(MqttMessage message, string name) =>
        message.UserProperties?.FirstOrDefault(p => p.Name == name).Value;

    private static double MeanAbsDifference(SKColor[] pixels, byte[] rgb)
    {
        long sum = 0;
        for (var i = 0; i < pixels.Length; i++)
        {
            sum += Math.Abs(pixels[i].Red - rgb[i * 3]) + Math.Abs(pixels[i].Green - rgb[(i * 3) + 1]) + Math.Abs(pixels[i].Blue - rgb[(i * 3) + 2]);
        }

        return sum / (pixels.Length * 3.0);
    }

    private static (double X, double Y) BlueCentroid(SKColor[] pixels, int width)
    {
        double sx = 0, sy = 0;
        var n = 0;
        for (var i = 0; i < pixels.Length; i++)
        {
            var p = pixels[i];
            if (p.Blue > 140 && p.Blue > p.Green + 60 && p.Red < 110)
            {
                // Pixel centres, as the scene's geometry measures them.
                sx += (i % width) + 0.5;
                sy += (i / width) + 0.5;
                n++;
            }
        }

        Assert.True(n > 1000, $"{n} blue pixels in the JPEG");
        return (sx / n, sy / n);
    }

    /// <summary>
    /// Commands are routed one at a time in arrival order: once a later command to an unknown camera is answered
    /// (at once), everything published before it has been handled.
    /// </summary>
    private static async Task FenceAsync(AgentRig rig, string id)
    {
        await rig.Probe.PublishAsync(rig.Base + "/nocam/reset", $$"""{"request_id":"{{id}}"}""");
        await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/nocam/reply" && MqttProbe.Text(m).Contains(id, StringComparison.Ordinal), Timeout, "the reply to " + id);
    }
}
