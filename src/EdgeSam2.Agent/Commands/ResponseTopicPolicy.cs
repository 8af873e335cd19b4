using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;

namespace EdgeSam2.Agent.Commands;

/// <summary>
/// Decides whether a command's MQTT 5 response topic may be published to: only under a configured prefix
/// (<c>Commands:ResponseTopicPrefixes</c>, default <c>{base}/replies/</c>), never a command topic, never a topic the
/// broker would reject. Otherwise a sender could make the agent publish on its own <c>available</c>, another agent's
/// <c>set</c>, or anything else it may write to.
/// </summary>
internal sealed class ResponseTopicPolicy(IReadOnlyList<string> prefixes, AgentTopics topics)
{
    private const int MaxTopicLength = 1024;

    public IReadOnlyList<string> Prefixes => prefixes;

    /// <summary>Null when <paramref name="topic"/> may carry the reply; else why not (field <c>response_topic</c>).</summary>
    public CommandError? Check(string topic)
    {
        var shown = LogText.Escape(topic);
        if (topic.Length > MaxTopicLength || !IsPublishable(topic))
        {
            return new CommandError("response_topic", $"the response topic '{shown}' is not a topic the agent can publish to; the reply comes here instead");
        }

        var under = false;
        foreach (var prefix in prefixes)
        {
            under |= topic.Length > prefix.Length && topic.StartsWith(prefix, StringComparison.Ordinal);
        }

        if (!under)
        {
            return new CommandError("response_topic", $"the response topic '{shown}' is not under an allowed prefix ({string.Join(", ", prefixes)}); the reply comes here instead");
        }

        if (topics.TryParseCommand(topic, out _, out var verb) && AgentTopics.IsCommandVerb(verb))
        {
            return new CommandError("response_topic", $"the response topic '{shown}' is a command topic; the reply comes here instead");
        }

        return null;
    }

    private static bool IsPublishable(string topic)
    {
        for (var i = 0; i < topic.Length; i++)
        {
            var c = topic[i];
            if (c is '+' or '#' or '\0' || (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < topic.Length && char.IsLowSurrogate(topic[++i]))))
            {
                return false;
            }
        }

        return true;
    }
}
