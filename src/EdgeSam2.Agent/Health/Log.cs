using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Health;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "HTTP: /healthz and /metrics on http://{Endpoint}")]
    public static partial void HttpListening(ILogger logger, string endpoint);

    [LoggerMessage(2, LogLevel.Error, "HTTP: cannot listen on {Endpoint}: {Reason}; the agent runs on without /healthz and /metrics")]
    public static partial void HttpFailed(ILogger logger, string endpoint, string reason);
}
