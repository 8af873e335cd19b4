using System.Diagnostics;
using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Models;
using EdgeSam2.Agent.Options;
using EdgeSam2.Agent.Telemetry;
using EdgeSam2.Mqtt;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Tracking.Tracker;
using Microsoft.Extensions.Hosting;

namespace EdgeSam2.Agent.Mqtt;

/// <summary>
/// Publishes <c>{base}/stats</c> every <c>Output:StatsIntervalSeconds</c>. Perishable, like tracks: QoS 0, never
/// queued while the broker is away (the next one says the same, newer).
/// </summary>
internal sealed class StatsPublisher(AgentMqtt mqtt, CameraRegistry cameras, ModelCatalog models, AgentOptions options, TimeProvider time) : BackgroundService
{
    private readonly long _started = Stopwatch.GetTimestamp();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Output.StatsIntervalSeconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Output.StatsIntervalSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            mqtt.Client.TryPublish(new MqttMessage(mqtt.Topics.Stats, Build().ToJson(), MqttQos.AtMostOnce));
        }
    }

    private StatsMessage Build()
    {
        var statuses = new List<(StatusMessage, IntervalFigures, ObjectCounts)>(cameras.All.Count);
        foreach (var camera in cameras.All)
        {
            var states = new ObjectCounts(camera.ObjectsIn(ObjectState.Tracking), camera.ObjectsIn(ObjectState.Occluded), camera.ObjectsIn(ObjectState.Lost));
            statuses.Add((camera.Status(), camera.Figures.TakeInterval(), states));
        }

        var graphs = new List<(string, long, double)>(4);
        for (var g = 0; g < OnnxSam2Model.GraphNames.Count; g++)
        {
            var (runs, total) = (0L, TimeSpan.Zero);
            foreach (var model in models.Models)
            {
                var (r, t) = model.GraphTime(g);
                (runs, total) = (runs + r, total + t);
            }

            graphs.Add((OnnxSam2Model.GraphNames[g], runs, runs == 0 ? 0 : total.TotalMilliseconds / runs));
        }

        return new StatsMessage(
            options.AgentId, AgentVersion.Text, Stopwatch.GetElapsedTime(_started).TotalSeconds, Environment.WorkingSet, GC.GetTotalMemory(false), statuses, graphs,
            GpuMemory.UsedOnAllDevices());
    }
}
