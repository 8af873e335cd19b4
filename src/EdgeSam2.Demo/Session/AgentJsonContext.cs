using System.Text.Json.Serialization;

namespace EdgeSam2.Demo.Session;

/// <summary>Source-generated (reflection-free) JSON for the agent's messages.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(TracksMessage))]
[JsonSerializable(typeof(CommandReply))]
[JsonSerializable(typeof(AgentEvent))]
[JsonSerializable(typeof(CameraStatus))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
