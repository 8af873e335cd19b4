using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Options;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Commands;

/// <summary>What the router and the cameras share to answer commands: limits, the reply queue, counters and the throttled log.</summary>
internal sealed class CommandPlane
{
    public CommandPlane(AgentOptions options, AgentMqtt mqtt, ReplyQueue replies, CommandStats stats, ILoggerFactory loggers, TimeProvider time)
    {
        var commands = options.Commands;
        Options = commands;
        Limits = new CommandLimits(commands.MaxPayloadBytes, commands.MaxJsonDepth, options.Tracking.MaxPromptPoints, commands.MaxStringLength);
        Replies = replies;
        Stats = stats;
        Refusals = new RefusalLog(loggers.CreateLogger<RefusalLog>(), time, TimeSpan.FromSeconds(commands.LogIntervalSeconds));
        RateLimiter = new RateLimiter(commands.RatePerSecond, commands.RateBurst, commands.GlobalRatePerSecond, time);
        ResponseTopics = new ResponseTopicPolicy(commands.ResolvedResponseTopicPrefixes(options.ResolvedBaseTopic), mqtt.Topics);
        Time = time;
    }

    public CommandOptions Options { get; }

    public CommandLimits Limits { get; }

    public ReplyQueue Replies { get; }

    public CommandStats Stats { get; }

    public RefusalLog Refusals { get; }

    public RateLimiter RateLimiter { get; }

    public ResponseTopicPolicy ResponseTopics { get; }

    public TimeProvider Time { get; }

    /// <summary>Answers a command with an error: logged (throttled) and queued.</summary>
    public void Refuse(string where, ReplyTarget target, string? requestId, CommandError error)
    {
        Refusals.Refused(where, requestId, error.Field, error.Message);
        if (!Replies.TryEnqueue(target, CommandReply.Fail(requestId, error)))
        {
            Refusals.Dropped();
        }
    }

    /// <summary>Answers a command: a refusal is logged (throttled); a reply that finds the queue full is counted as dropped.</summary>
    public void Reply(string where, ReplyTarget target, CommandReply reply)
    {
        if (!reply.Ok)
        {
            Refusals.Refused(where, reply.RequestId, reply.Field ?? "", reply.Error ?? "");
        }

        if (!Replies.TryEnqueue(target, reply))
        {
            Refusals.Dropped();
        }
    }
}
