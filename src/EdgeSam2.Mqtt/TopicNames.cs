using System.Text;

namespace EdgeSam2.Mqtt;

/// <summary>MQTT topic name and filter rules, checked before anything reaches the wire.</summary>
public static class TopicNames
{
    /// <summary>A topic a message can be published to: non-empty, no wildcards, no NUL, at most 65535 UTF-8 bytes.</summary>
    public static bool IsValidTopicName(string? topic) =>
        !string.IsNullOrEmpty(topic)
        && topic.AsSpan().IndexOfAny('+', '#', '\0') < 0
        && Encoding.UTF8.GetByteCount(topic) <= ushort.MaxValue;

    /// <summary>A subscription filter: '+' fills a whole level, '#' only as the whole last level.</summary>
    public static bool IsValidTopicFilter(string? filter)
    {
        if (string.IsNullOrEmpty(filter) || filter.Contains('\0') || Encoding.UTF8.GetByteCount(filter) > ushort.MaxValue)
        {
            return false;
        }

        var levelStart = 0;
        for (var i = 0; i <= filter.Length; i++)
        {
            if (i < filter.Length && filter[i] != '/')
            {
                continue;
            }

            var level = filter.AsSpan(levelStart, i - levelStart);
            if (level.Length > 1 && level.IndexOfAny('+', '#') >= 0)
            {
                return false;
            }

            if (level is "#" && i != filter.Length)
            {
                return false;
            }

            levelStart = i + 1;
        }

        return true;
    }
}
