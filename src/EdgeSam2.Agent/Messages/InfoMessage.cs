namespace EdgeSam2.Agent.Messages;

/// <summary>
/// What this agent is, published retained on <c>{base}/info</c> at every connection: its version, the ONNX Runtime
/// it runs on, the model set, the provider of each graph and the threads its objects are split across, and its cameras. A console can tell from it which
/// agent and model answered, without reading logs.
/// </summary>
internal sealed record InfoMessage(string AgentId, string Version, string OnnxRuntime, string Model, int InputSize, string Provider, int ObjectThreads, IReadOnlyList<string> Cameras)
{
    public byte[] ToJson() => JsonWriting.Build(this, static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("agent_id", s.AgentId);
        w.WriteString("version", s.Version);
        w.WriteString("onnxruntime", s.OnnxRuntime);
        w.WriteString("model", s.Model);
        w.WriteNumber("input_size", s.InputSize);
        w.WriteString("provider", s.Provider);
        w.WriteNumber("object_threads", s.ObjectThreads);
        w.WriteStartArray("cameras");
        foreach (var camera in s.Cameras)
        {
            w.WriteStringValue(camera);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });
}
