using System.Text.Json;

namespace EdgeSam2.Demo.AgentProcess;

/// <summary>What the demo puts into the agent's configuration file (agent contract, section <c>EdgeSam2</c>).</summary>
/// <param name="AgentId">Agent id, substituted into the base topic.</param>
/// <param name="BaseTopic">Base topic template, e.g. <c>edgesam2/{agent_id}</c>.</param>
/// <param name="ModelManifest">Absolute path of the model manifest.</param>
/// <param name="OrtLibrary">Absolute path of a system libonnxruntime.so, or empty for the packaged one.</param>
/// <param name="BrokerHost">MQTT broker address.</param>
/// <param name="BrokerPort">MQTT broker port.</param>
/// <param name="CameraId">The one camera's id.</param>
/// <param name="CameraUrl">Absolute path of the scene video.</param>
internal sealed record AgentConfigFile(
    string AgentId, string BaseTopic, string ModelManifest, string OrtLibrary, string BrokerHost, int BrokerPort, string CameraId, string CameraUrl)
{
    /// <summary>
    /// The JSON: the camera in Deterministic mode (every frame, in order, prompts applied to the frame they name) and
    /// disabled at start, so the demo can seed its prompts before the first frame is decoded and then enable it.
    /// </summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("EdgeSam2");
            json.WriteString(nameof(AgentId), AgentId);
            json.WriteString(nameof(BaseTopic), BaseTopic);
            json.WriteStartObject("Model");
            json.WriteString("Manifest", ModelManifest);
            json.WriteString(nameof(OrtLibrary), OrtLibrary);
            json.WriteStartArray("Providers");
            json.WriteStringValue("Cpu");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("Mqtt");
            json.WriteString("Host", BrokerHost);
            json.WriteNumber("Port", BrokerPort);
            json.WriteEndObject();
            json.WriteStartObject("Output");
            json.WriteString("Mask", "Rle");
            json.WriteEndObject();
            json.WriteStartArray("Cameras");
            json.WriteStartObject();
            json.WriteString("Id", CameraId);
            json.WriteString("Url", CameraUrl);
            json.WriteString("Mode", "Deterministic");
            json.WriteBoolean("Enabled", false);
            json.WriteBoolean("Loop", false);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public Task WriteAsync(string path, CancellationToken cancellationToken) => File.WriteAllBytesAsync(path, ToJson(), cancellationToken);
}
