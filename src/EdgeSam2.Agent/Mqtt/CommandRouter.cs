using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Options;
using EdgeSam2.Mqtt;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Mqtt;

/// <summary>
/// Turns incoming command messages into camera commands. Anything wrong with a message (bad JSON, unknown camera,
/// bad field) is answered at once with an error reply and a Warning log line; nothing reaches a tracker.
/// </summary>
internal sealed class CommandRouter(AgentMqtt mqtt, CameraRegistry cameras, AgentOptions options, ILogger<CommandRouter> logger)
{
    public async ValueTask HandleAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (!mqtt.Topics.TryParseCommand(message.Topic, out var camera, out var verb))
        {
            Log.Ignored(logger, message.Topic);
            return;
        }

        var target = message.ResponseTopic is { Length: > 0 } responseTopic
            ? new ReplyTarget(responseTopic, message.CorrelationData)
            : new ReplyTarget(mqtt.Topics.For(camera).Reply, null);
        if (!cameras.TryGet(camera, out var pipeline))
        {
            var known = string.Join(", ", cameras.Ids);
            await RefuseAsync(message.Topic, target, CommandParser.PeekRequestId(message.Payload), new CommandError("camera", $"unknown camera '{camera}' (this agent has: {known})"), cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (verb)
        {
            case "prompt":
                var prompt = CommandParser.ParsePrompt(message.Payload, options.Tracking.MaxPromptPoints);
                await SubmitAsync(message.Topic, pipeline, prompt.Request, prompt.Error, prompt.RequestId, target, cancellationToken).ConfigureAwait(false);
                break;
            case "remove":
                var remove = CommandParser.ParseRemove(message.Payload);
                await SubmitAsync(message.Topic, pipeline, remove.Request, remove.Error, remove.RequestId, target, cancellationToken).ConfigureAwait(false);
                break;
            case "set":
                var set = CommandParser.ParseSet(message.Payload);
                if (set.Error is { } setError)
                {
                    await RefuseAsync(message.Topic, target, set.RequestId, setError, cancellationToken).ConfigureAwait(false);
                    break;
                }

                await pipeline.SetEnabledAsync(set.Request!.Enabled, cancellationToken).ConfigureAwait(false);
                await mqtt.PublishAsync(AgentMqtt.Reply(target, new CommandReply(set.RequestId, true) { Enabled = set.Request.Enabled }), cancellationToken).ConfigureAwait(false);
                break;
            default:
                Log.Ignored(logger, message.Topic);
                break;
        }
    }

    private async ValueTask SubmitAsync(
        string topic, CameraPipeline pipeline, CameraRequest? request, CommandError? error, string? requestId, ReplyTarget target, CancellationToken cancellationToken)
    {
        if (error is { } e)
        {
            await RefuseAsync(topic, target, requestId, e, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (pipeline.Submit(new PendingCommand(request!, target)) is { } refused)
        {
            await RefuseAsync(topic, target, requestId, refused, cancellationToken).ConfigureAwait(false);
            return;
        }

        Log.CommandAccepted(logger, topic, requestId);
    }

    private async ValueTask RefuseAsync(string topic, ReplyTarget target, string? requestId, CommandError error, CancellationToken cancellationToken)
    {
        Log.CommandRefused(logger, topic, error.Field, error.Message);
        await mqtt.PublishAsync(AgentMqtt.Reply(target, CommandReply.Fail(requestId, error)), cancellationToken).ConfigureAwait(false);
    }
}
