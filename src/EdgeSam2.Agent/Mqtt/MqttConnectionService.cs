using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Models;
using EdgeSam2.Agent.Options;
using EdgeSam2.Onnx.Runtime;
using EdgeSam2.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Mqtt;

/// <summary>
/// Starts the MQTT client in the background (with the <c>offline</c> will) and returns at once: the cameras, the
/// tracking and systemd's READY never wait for the broker. On every connection it announces <c>online</c> and
/// <c>info</c> and re-publishes retained state; it routes the commands that arrive; on a clean stop it announces <c>stopped</c> and
/// disconnects without the will.
/// </summary>
internal sealed class MqttConnectionService(
    AgentMqtt mqtt, CommandRouter router, CameraRegistry cameras, ModelCatalog models, AgentOptions options, ILogger<MqttConnectionService> logger) : IHostedService
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _routing = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        mqtt.Client.ConnectionStateChanged += OnConnectionStateChanged;
        var subscriptions = new List<MqttSubscription>();
        foreach (var filter in mqtt.Topics.CommandFilters)
        {
            subscriptions.Add(new MqttSubscription(filter, MqttQos.AtLeastOnce) { NoLocal = true });
        }

        // Not connected yet: the client only records them, and subscribes on every connection.
        await mqtt.Client.SubscribeAsync(subscriptions, cancellationToken).ConfigureAwait(false);
        _routing = Task.Run(() => RouteAsync(_stopping.Token), CancellationToken.None);
        mqtt.Client.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        mqtt.Client.ConnectionStateChanged -= OnConnectionStateChanged;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _routing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Log.Stopping(logger, mqtt.Topics.Base);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StopTimeout);
        try
        {
            if (mqtt.Client.IsConnected)
            {
                await mqtt.PublishStoppedAsync(timeout.Token).ConfigureAwait(false);
            }

            await mqtt.Client.DisconnectAsync(publishWill: false, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            Log.StopPublishFailed(logger, e.Message);
        }
    }

    private async Task PublishRetainedStateAsync()
    {
        // Handed to the outbox in order, behind whatever waited for this connection; nothing here waits for PUBACKs.
        try
        {
            await mqtt.PublishAsync(AgentMqtt.Retained(mqtt.Topics.Available, AgentMqtt.Payloads.Online), _stopping.Token).ConfigureAwait(false);
            if (models.Set is { } set)
            {
                var info = new InfoMessage(options.AgentId, AgentVersion.Text, OrtRuntime.Version, set.Manifest.Name, set.Info.InputSize, set.Provider, set.ObjectThreads, [.. options.Cameras.Select(c => c.Id)]);
                await mqtt.PublishAsync(AgentMqtt.Retained(mqtt.Topics.Info, info.ToJson()), _stopping.Token).ConfigureAwait(false);
            }

            foreach (var camera in cameras.All)
            {
                await camera.PublishRetainedAsync(_stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void OnConnectionStateChanged(object? sender, MqttConnectionStateChangedEventArgs e)
    {
        if (!e.IsConnected)
        {
            Log.ConnectionLost(logger, e.Reason);
            return;
        }

        if (e.IsReconnect)
        {
            Log.Republishing(logger);
        }
        else
        {
            Log.Online(logger, options.Mqtt.Host, options.Mqtt.Port, mqtt.Topics.Base);
        }

        _ = PublishRetainedStateAsync();
    }

    private async Task RouteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in mqtt.Client.Messages.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await router.HandleAsync(message, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Operator input must never take the agent down; the router answers every expected problem itself.
                    Log.HandlerFailed(logger, e, message.Topic);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
