using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Commands;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Command refused on {Where} (request {RequestId}): {Field}: {Error}; further refusals in the next interval are only counted")]
    public static partial void CommandRefused(ILogger logger, string where, string requestId, string field, string error);

    [LoggerMessage(2, LogLevel.Warning, "{Refused} more commands refused and {Dropped} dropped (rate limit or full reply queue) within {Interval}; the commands topic has the totals")]
    public static partial void RefusalsSummarised(ILogger logger, long refused, long dropped, TimeSpan interval);

    [LoggerMessage(3, LogLevel.Warning, "A reply on {Topic} could not be sent: {Reason}")]
    public static partial void ReplyFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Command counters published on {Topic}")]
    public static partial void StatsPublished(ILogger logger, string topic);
}
