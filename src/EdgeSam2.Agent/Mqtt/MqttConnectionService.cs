using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Options;
using EdgeSam2.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Mqtt;

/// <summary>
/// Connects (with the <c>offline</c> will) before the cameras start, announces <c>online</c>, subscribes to the
/// command topics and routes what arrives; re-publishes retained state after a reconnect; on a clean stop
/// announces <c>stopped</c> and disconnects without the will.
/// </summary>
internal sealed class MqttConnectionService(
    AgentMqtt mqtt, CommandRouter router, CameraRegistry cameras, AgentOptions options, ILogger<MqttConnectionService> logger) : IHostedService
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _routing = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        mqtt.Client.ConnectionStateChanged += OnConnectionStateChanged;
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var subscriptions = new List<MqttSubscription>();
        foreach (var filter in mqtt.Topics.CommandFilters)
        {
            subscriptions.Add(new MqttSubscription(filter, MqttQos.AtLeastOnce) { NoLocal = true });
        }

        await mqtt.Client.SubscribeAsync(subscriptions, cancellationToken).ConfigureAwait(false);
        await PublishRetainedStateAsync(cancellationToken).ConfigureAwait(false);
        Log.Online(logger, options.Mqtt.Host, options.Mqtt.Port, mqtt.Topics.Base);
        _routing = Task.Run(() => RouteAsync(_stopping.Token), CancellationToken.None);
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
            await mqtt.PublishStoppedAsync(timeout.Token).ConfigureAwait(false);
            await mqtt.Client.DisconnectAsync(publishWill: false, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            Log.StopPublishFailed(logger, e.Message);
        }

    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        // A broker that is down at boot is waited for (systemd sees no READY until then), with a capped back-off.
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await mqtt.Client.ConnectAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MqttConnectException e)
            {
                Log.ConnectFailed(logger, options.Mqtt.Host, options.Mqtt.Port, e.Message, delay);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    private async Task PublishRetainedStateAsync(CancellationToken cancellationToken)
    {
        await mqtt.PublishAsync(AgentMqtt.Retained(mqtt.Topics.Available, AgentMqtt.Payloads.Online), cancellationToken).ConfigureAwait(false);
        foreach (var camera in cameras.All)
        {
            await camera.PublishRetainedAsync(cancellationToken).ConfigureAwait(false);
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
            _ = RepublishAsync();
        }
    }

    private async Task RepublishAsync()
    {
        try
        {
            await PublishRetainedStateAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
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
