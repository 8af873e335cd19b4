using System.Threading.Channels;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Options;
using EdgeSam2.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Commands;

/// <summary>
/// Every reply goes through here: a bounded queue that whoever answers (the router, a camera's frame loop) fills without
/// waiting, emptied by this service, which keeps up to <c>Commands:MaxRepliesInFlight</c> QoS 1 publications waiting
/// for their PUBACKs at once. So the MQTT reader never waits on a reply, and one slow acknowledgement does not hold up
/// the next reply. A reply that finds the queue full is dropped and counted (<c>reply_queue_full</c>).
/// </summary>
internal sealed class ReplyQueue : BackgroundService
{
    private readonly AgentMqtt _mqtt;
    private readonly CommandStats _stats;
    private readonly ILogger<ReplyQueue> _logger;
    private readonly Channel<MqttMessage> _queue;
    private readonly SemaphoreSlim _inFlight;
    private readonly int _maxInFlight;

    public ReplyQueue(AgentMqtt mqtt, CommandStats stats, AgentOptions options, ILogger<ReplyQueue> logger)
    {
        (_mqtt, _stats, _logger) = (mqtt, stats, logger);
        _queue = Channel.CreateBounded<MqttMessage>(new BoundedChannelOptions(options.Commands.ReplyQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _maxInFlight = options.Commands.MaxRepliesInFlight;
        _inFlight = new SemaphoreSlim(_maxInFlight, _maxInFlight);
    }

    /// <summary>Queues the one reply to a command; false (counted) when the queue is full.</summary>
    public bool TryEnqueue(ReplyTarget target, CommandReply reply)
    {
        if (!_queue.Writer.TryWrite(AgentMqtt.Reply(target, reply)))
        {
            _stats.OnReplyQueueFull();
            return false;
        }

        _stats.OnReplyQueued(!reply.Ok, reply.Expired);
        return true;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Replies already queued are still sent (the cameras, which also answer, have stopped before this service).
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _inFlight.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await _inFlight.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            _ = PublishAsync(message);
        }

        for (var i = 0; i < _maxInFlight; i++)
        {
            await _inFlight.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(MqttMessage message)
    {
        try
        {
            await _mqtt.PublishAsync(message, CancellationToken.None).ConfigureAwait(false);
            _stats.OnPublished();
        }
        catch (Exception e)
        {
            // A reply that cannot be sent must not stop the others; the broker's refusals are logged by AgentMqtt.
            _stats.OnPublishFailed();
            Log.ReplyFailed(_logger, LogText.Escape(message.Topic), e.Message);
        }
        finally
        {
            _inFlight.Release();
        }
    }
}
