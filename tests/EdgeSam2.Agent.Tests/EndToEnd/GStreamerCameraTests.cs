using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Testing.Rtsp;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// A camera read by GStreamer (<c>Decoder: GStreamer</c>) from a real RTSP server: gst-launch reports no source size, so
/// the source probes it before starting, and no tracks message may go out at the model's size instead (boxes, masks and
/// prompts are in source pixels). The server's 320×240 is unlike the model's square input, so a wrong size shows.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class GStreamerCameraTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Live_GStreamerRtspCamera_EveryTracksMessageFromTheFirstIsAtTheSourceSize()
    {
        await using var server = await RtspTestServer.StartTestPatternAsync("red", 320, 240, 25);
        await using var rig = await AgentRig.StartAsync(scene, "gst", [AgentConfig.GStreamerCamera("gst", server.Url)]);
        var (probe, @base) = (rig.Probe, rig.Base);
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            var topic = @base + "/gst/tracks";
            try
            {
                await probe.WaitForAsync(m => m.Topic == topic && Frame(m) >= 10, Timeout, "ten frames from the GStreamer camera");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}\n{server.Describe()}", e);
            }

            var sizes = probe.Messages.Where(m => m.Topic == topic).Select(Size).Distinct().ToList();
            Assert.Equal([(320, 240)], sizes);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static long Frame(EdgeSam2.Mqtt.MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    private static (int Width, int Height) Size(EdgeSam2.Mqtt.MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return (json.RootElement.GetProperty("width").GetInt32(), json.RootElement.GetProperty("height").GetInt32());
    }
}
