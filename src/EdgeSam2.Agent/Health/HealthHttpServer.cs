using System.Net;
using EdgeSam2.Agent.Options;
using EdgeSam2.Agent.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace EdgeSam2.Agent.Health;

/// <summary>
/// Kestrel on <c>Health:HttpAddress</c>:<c>Health:HttpPort</c> (loopback by default) serving <c>/healthz</c> and
/// <c>/metrics</c> (Prometheus text: our meters plus process memory, GC and CPU). A small web app of its own beside the
/// agent's host, so the agent's composition stays a plain generic host. A port that is taken is logged, not fatal:
/// tracking matters more than its dashboard.
/// </summary>
internal sealed class HealthHttpServer(AgentOptions options, AgentHealth health, AgentMetrics metrics, ILogger<HealthHttpServer> logger) : IHostedService, IAsyncDisposable
{
    // prometheus-net's adapter for System.Diagnostics.Metrics is process-wide: configured once, with our buckets.
    private static readonly Lazy<bool> MeterAdapter = new(() =>
    {
        Metrics.ConfigureMeterAdapter(o => o.ResolveHistogramBuckets = _ => PipelineMeter.Buckets);
        return true;
    });

    private WebApplication? _app;

    /// <summary>The endpoint actually listening (e.g. <c>127.0.0.1:9464</c>); null when the endpoint is not running.</summary>
    public string? Endpoint { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(metrics); // its instruments exist from here on
        _ = MeterAdapter.Value;
        var address = IPAddress.Parse(options.Health.HttpAddress);
        var endpoint = new IPEndPoint(address, options.Health.HttpPort).ToString();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("cameras", new CamerasHealthCheck(health), HealthStatus.Unhealthy, null));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, options.Health.HttpPort));
        var app = builder.Build();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthJson.WriteAsync });
        app.MapMetrics("/metrics");
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Log.HttpFailed(logger, endpoint, e.Message);
            await app.DisposeAsync().ConfigureAwait(false);
            return;
        }

        _app = app;
        Endpoint = endpoint;
        Log.HttpListening(logger, endpoint);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
