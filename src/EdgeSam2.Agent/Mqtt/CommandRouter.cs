using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Commands;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Mqtt;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Mqtt;

/// <summary>
/// Turns incoming command messages into camera commands, in the MQTT reader's own loop and without ever waiting:
/// rate limit, response-topic check, size and depth limits, parse, then the camera's inbox; every reply goes to the
/// bounded <see cref="ReplyQueue"/>. Anything wrong with a message is answered at once with an error reply (logged,
/// throttled), and nothing reaches a tracker.
/// </summary>
internal sealed class CommandRouter(AgentMqtt mqtt, CameraRegistry cameras, CommandPlane plane, ILogger<CommandRouter> logger)
{
    /// <summary>Awaited before each message is handled: lets a test hold the router as a stalled one would. Null in the agent.</summary>
    internal Func<CancellationToken, ValueTask>? Gate { get; set; }

    public ValueTask HandleAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (Gate is { } gate)
        {
            return HeldAsync(gate, message, cancellationToken);
        }

        Handle(message);
        return ValueTask.CompletedTask;
    }

    private async ValueTask HeldAsync(Func<CancellationToken, ValueTask> gate, MqttMessage message, CancellationToken cancellationToken)
    {
        await gate(cancellationToken).ConfigureAwait(false);
        Handle(message);
    }

    /// <summary>Handles one message completely: it is answered, queued for its frame, or dropped and counted.</summary>
    public void Handle(MqttMessage message)
    {
        if (!mqtt.Topics.TryParseCommand(message.Topic, out var camera, out var verb) || !AgentTopics.IsCommandVerb(verb))
        {
            Log.Ignored(logger, LogText.Escape(message.Topic));
            return;
        }

        plane.Stats.OnReceived();
        var plain = new ReplyTarget(mqtt.Topics.Base + "/" + camera + "/reply", message.CorrelationData);
        var target = plain;
        CommandError? topicError = null;
        if (message.ResponseTopic is { Length: > 0 } responseTopic)
        {
            topicError = plane.ResponseTopics.Check(responseTopic);
            target = topicError is null ? new ReplyTarget(responseTopic, message.CorrelationData) : plain;
        }

        switch (plane.RateLimiter.TryAcquire(target.Topic, out var global))
        {
            case RateDecision.RefuseWithReply:
                var limit = global ? $"{plane.Options.GlobalRatePerSecond} commands/s from all senders" : $"{plane.Options.RatePerSecond} commands/s (burst {plane.Options.RateBurst}) per sender";
                plane.Refuse(message.Topic, target, CommandParser.PeekRequestId(message.Payload, plane.Limits), new CommandError("$", $"rate limited: over {limit}; further commands are dropped without a reply until the rate falls"));
                return;
            case RateDecision.Drop:
                plane.Stats.OnRateLimited();
                plane.Refusals.Dropped();
                return;
        }

        if (topicError is { } badTopic)
        {
            plane.Refuse(message.Topic, target, CommandParser.PeekRequestId(message.Payload, plane.Limits), badTopic);
            return;
        }

        if (!cameras.TryGet(camera, out var pipeline))
        {
            var known = string.Join(", ", cameras.Ids);
            plane.Refuse(message.Topic, target, CommandParser.PeekRequestId(message.Payload, plane.Limits), new CommandError("camera", $"unknown camera '{LogText.Escape(camera)}' (this agent has: {known})"));
            return;
        }

        switch (verb)
        {
            case "prompt":
                var prompt = CommandParser.ParsePrompt(message.Payload, plane.Limits);
                Submit(message.Topic, pipeline, prompt.Request, prompt.Error, prompt.RequestId, target);
                break;
            case "remove":
                var remove = CommandParser.ParseRemove(message.Payload, plane.Limits);
                Submit(message.Topic, pipeline, remove.Request, remove.Error, remove.RequestId, target);
                break;
            case "reset":
                var reset = CommandParser.ParseReset(message.Payload, plane.Limits);
                Submit(message.Topic, pipeline, reset.Request, reset.Error, reset.RequestId, target);
                break;
            case "capture":
                var capture = CommandParser.ParseReset(message.Payload, plane.Limits);
                if ((capture.Error ?? pipeline.RequestSnapshot(target, capture.RequestId)) is { } captureError)
                {
                    plane.Refuse(message.Topic, target, capture.RequestId, captureError);
                }

                break;
            default:
                var set = CommandParser.ParseSet(message.Payload, plane.Limits);
                if (set.Error is { } setError)
                {
                    plane.Refuse(message.Topic, target, set.RequestId, setError);
                    break;
                }

                pipeline.SetEnabled(set.Request!.Enabled);
                plane.Reply(message.Topic, target, new CommandReply(set.RequestId, true) { Enabled = set.Request.Enabled });
                break;
        }
    }

    private void Submit(string topic, CameraPipeline pipeline, CameraRequest? request, CommandError? error, string? requestId, ReplyTarget target)
    {
        if (error is { } e)
        {
            plane.Refuse(topic, target, requestId, e);
            return;
        }

        if (pipeline.Submit(new PendingCommand(request!, target)) is { } refused)
        {
            plane.Refuse(topic, target, requestId, refused);
            return;
        }

        Log.CommandAccepted(logger, LogText.Escape(topic), LogText.Escape(requestId));
    }
}
