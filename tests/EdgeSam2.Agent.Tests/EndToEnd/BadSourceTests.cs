using System.Diagnostics;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Testing;
using EdgeSam2.Testing.Rtsp;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// One agent with a good camera and five bad ones (nothing listening, a 404 path, a missing device, a non-video file,
/// a truncated file): each bad camera's retained status names the decoder's reason within 10 s, while the good camera
/// keeps streaming.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class BadSourceTests(SceneFile scene)
{
    private static readonly TimeSpan ReasonWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Status_BadSources_EachNamesItsReasonWithin10sWhileTheGoodCameraStreams()
    {
        await using var rtsp = await RtspTestServer.StartTestPatternAsync(width: 64, height: 48, fps: 10);
        var notVideo = Path.Combine(scene.Directory, "notes.txt");
        await File.WriteAllTextAsync(notVideo, "these are notes, not a video\n");
        var truncated = await TruncatedMp4Async(Path.Combine(scene.Directory, "truncated.mp4"));
        var refusedUrl = $"rtsp://127.0.0.1:{FreePort.Next()}/cam";
        var notFoundUrl = new UriBuilder(rtsp.Url) { Path = "/no-such-path" }.Uri.ToString();

        // Expected: the decoder's own words for each failure.
        var bad = new (string Id, string Url, string Reason)[]
        {
            ("refused", refusedUrl, "Connection refused"),
            ("notfound", notFoundUrl, "404 Not Found"),
            ("nodevice", "/dev/video99", "/dev/video99: No such file or directory"),
            ("notvideo", notVideo, "Invalid data found when processing input"),
            ("truncated", truncated, "Invalid data found when processing input"),
        };
        var cameras = new List<object> { Camera("good", scene.Path, loop: true) };
        cameras.AddRange(bad.Select(b => Camera(b.Id, b.Url, loop: false)));

        await using var rig = await AgentRig.StartAsync(scene, "bad", [.. cameras]);
        var (probe, @base) = (rig.Probe, rig.Base);
        using var host = AgentHost.Build(["--config", rig.Config]);
        var started = Stopwatch.StartNew();
        await host.StartAsync();
        try
        {
            foreach (var (id, _, reason) in bad)
            {
                var status = await probe.WaitForAsync(
                    m => m.Topic == $"{@base}/{id}/status" && ReasonOf(m) is { } r && r.Contains(reason, StringComparison.Ordinal),
                    Timeout,
                    $"status of {id} naming '{reason}'");
                Assert.True(started.Elapsed < ReasonWithin + TimeSpan.FromSeconds(2), $"{id}: reason after {started.Elapsed}");
                using var json = JsonDocument.Parse(status.Payload);
                Assert.Contains(json.RootElement.GetProperty("state").GetString(), new[] { "connecting", "stalled" });
                Assert.Equal("down", json.RootElement.GetProperty("quality").GetString());
            }

            // The reason is what a subscriber that arrives now gets, retained.
            foreach (var (id, _, reason) in bad)
            {
                var retained = await RetainedReader.ReadAsync(rig, $"{@base}/{id}/status", 5);
                Assert.Contains(reason, retained, StringComparison.Ordinal);
            }

            // Meanwhile the good camera streams on: new frames keep coming.
            var before = probe.Messages.Count(m => m.Topic == @base + "/good/tracks");
            await probe.WaitForAsync(m => m.Topic == @base + "/good/status" && MqttProbe.Text(m).Contains("\"streaming\"", StringComparison.Ordinal), Timeout, "good streaming");
            var more = 0;
            await probe.WaitForAsync(m => m.Topic == @base + "/good/tracks" && ++more > before + 10, Timeout, "ten more frames of the good camera");
            await SchemaCheck.AssertValidAsync(probe.Messages.Where(m => m.Topic.EndsWith("/status", StringComparison.Ordinal)).Select(m => ("status", MqttProbe.Text(m))));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static object Camera(string id, string url, bool loop) => new
    {
        Id = id,
        Url = url,
        Mode = "Live",
        Enabled = true,
        Loop = loop,
        RestartMinDelayMs = 500,
        RestartMaxDelayMs = 2000,
    };

    private static string? ReasonOf(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;
    }

    /// <summary>An MP4 cut before its index (the moov atom is written last): what a recording interrupted by a power cut leaves.</summary>
    private static async Task<string> TruncatedMp4Async(string path)
    {
        var whole = path + ".whole.mp4";
        using (var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=s=64x48:r=10", "-frames:v", "20", "-c:v", "mpeg4", whole]) { RedirectStandardError = true })!)
        {
            await ffmpeg.WaitForExitAsync();
            Assert.Equal(0, ffmpeg.ExitCode);
        }

        var bytes = await File.ReadAllBytesAsync(whole);
        await File.WriteAllBytesAsync(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        return path;
    }
}
