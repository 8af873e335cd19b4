using EdgeSam2.Agent.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Commands;

/// <summary>Every <c>Commands:StatsIntervalSeconds</c>: publishes the counters on <c>{base}/commands</c> and ends the refusal log's interval.</summary>
internal sealed class CommandStatsService(CommandPlane plane, AgentMqtt mqtt, ILogger<CommandStatsService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = plane.Options.StatsIntervalSeconds;
        var period = TimeSpan.FromSeconds(seconds > 0 ? Math.Min(seconds, plane.Options.LogIntervalSeconds) : plane.Options.LogIntervalSeconds);
        var lastStats = plane.Time.GetTimestamp();
        using var timer = new PeriodicTimer(period, plane.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                plane.Refusals.Flush(force: false);
                if (seconds > 0 && plane.Time.GetElapsedTime(lastStats).TotalSeconds >= seconds * 0.999)
                {
                    lastStats = plane.Time.GetTimestamp();

                    // QoS 0: a counter snapshot is perishable, the next one supersedes it.
                    mqtt.Client.TryPublish(new EdgeSam2.Mqtt.MqttMessage(mqtt.Topics.CommandStats, plane.Stats.ToJson(mqtt.Client.Stats)));
                    Log.StatsPublished(logger, mqtt.Topics.CommandStats);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        plane.Refusals.Flush(force: true);
    }
}
