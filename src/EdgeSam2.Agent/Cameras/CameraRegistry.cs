using System.Diagnostics.CodeAnalysis;
using EdgeSam2.Agent.Commands;
using EdgeSam2.Agent.Models;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Options;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Cameras;

/// <summary>The configured cameras' pipelines, by id.</summary>
internal sealed class CameraRegistry
{
    private readonly Dictionary<string, CameraPipeline> _byId = new(StringComparer.Ordinal);

    public CameraRegistry(AgentOptions options, ModelCatalog models, AgentMqtt mqtt, CommandPlane plane, ILoggerFactory loggers, TimeProvider time)
    {
        var all = new List<CameraPipeline>();
        foreach (var camera in options.Cameras)
        {
            var pipeline = new CameraPipeline(camera, options, models, mqtt, plane, loggers, time);
            all.Add(pipeline);
            _byId.Add(camera.Id, pipeline);
        }

        All = all;
        Ids = [.. _byId.Keys];
    }

    public IReadOnlyList<CameraPipeline> All { get; }

    public IReadOnlyList<string> Ids { get; }

    public bool TryGet(string id, [NotNullWhen(true)] out CameraPipeline? pipeline) => _byId.TryGetValue(id, out pipeline);
}
