using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Commands;
using EdgeSam2.Agent.Health;
using EdgeSam2.Agent.Models;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Options;
using EdgeSam2.Agent.Systemd;
using EdgeSam2.Onnx.Runtime;
using EdgeSam2.Onnx.Sam2;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent;

/// <summary>
/// Composes the agent: configuration (file, <c>EDGESAM2_</c> environment variables, command line), logging and the
/// features in start order — models, MQTT, cameras, systemd readiness. Program.cs and the tests share it.
/// </summary>
public static class AgentHost
{
    /// <summary>What <c>edgesam2 --help</c> prints about running the agent.</summary>
    public const string Usage = """
        usage: edgesam2 [--config PATH] [--overlay PATH] [--EdgeSam2:Section:Key=value ...]
               edgesam2 --version | --help
               edgesam2 models warm|bench ...

          Runs the agent until SIGTERM or SIGINT. The config file comes from --config, else $EDGESAM2_CONFIG, else
          config/edgesam2.json. A platform overlay (config/cpu.json, x86-gpu.json, jetson.json) named by --overlay,
          else $EDGESAM2_OVERLAY, is layered over it; every option can be overridden by EDGESAM2_EdgeSam2__Section__Key
          environment variables and by --EdgeSam2:Section:Key=value arguments (config/README.md lists them all).
          Exit codes: 0 clean stop, 1 failure, 2 invalid config, 3 model set or ONNX Runtime unusable.
        """;

    /// <summary>The config file used when neither <c>--config</c> nor <c>EDGESAM2_CONFIG</c> names one.</summary>
    public const string DefaultConfigPath = "config/edgesam2.json";

    /// <summary>Builds the host; nothing starts until it is run.</summary>
    /// <exception cref="AgentConfigurationException">The configuration is missing or invalid; the message lists every problem.</exception>
    public static IHost Build(string[] args)
    {
        var (configPath, overlayPath, rest) = SplitConfigArgument(args);
        var fullConfigPath = Path.GetFullPath(configPath);
        if (!File.Exists(fullConfigPath))
        {
            throw new AgentConfigurationException($"the config file '{fullConfigPath}' does not exist (pass --config PATH or set EDGESAM2_CONFIG).");
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Directory.GetCurrentDirectory() });
        try
        {
            builder.Configuration.AddJsonFile(fullConfigPath, optional: false, reloadOnChange: false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // The parser's own words (what it expected, line and byte) on one line, not a stack trace.
            var cause = e;
            while (cause.InnerException is not null)
            {
                cause = cause.InnerException;
            }

            throw new AgentConfigurationException($"the config file '{fullConfigPath}' {(e is InvalidDataException ? "is not valid JSON" : "cannot be read")}: {cause.Message}");
        }

        if (overlayPath is not null)
        {
            AddOverlay(builder.Configuration, overlayPath, fullConfigPath);
        }

        builder.Configuration.AddEnvironmentVariables("EDGESAM2_");
        builder.Configuration.AddCommandLine(rest);
        ConfigureLogging(builder);

        AgentOptions options;
        try
        {
            options = AgentConfiguration.Load(builder.Configuration, Path.GetDirectoryName(fullConfigPath));
        }
        catch (InvalidDataException e)
        {
            throw new AgentConfigurationException($"the config file '{fullConfigPath}' is not valid JSON: {e.Message}");
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.Services
            .AddAgentModels()
            .AddAgentMqtt()
            .AddCommandPlane()
            .AddAgentCameras(options)
            .AddAgentHealth(options)
            .AddAgentSystemd();
        return builder.Build();
    }

    /// <summary>Runs the agent until SIGTERM/SIGINT; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        IHost host;
        try
        {
            host = Build(args);
        }
        catch (AgentConfigurationException e)
        {
            await Console.Error.WriteLineAsync("edgesam2: " + e.Message).ConfigureAwait(false);
            return ExitCodes.ConfigInvalid;
        }

        using (host)
        {
            try
            {
                await host.StartAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM while still starting: stop what did start, so availability reads "stopped", not a stale "online".
                await host.StopAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is Sam2ModelException or OrtRuntimeException)
            {
                // A model set or ORT library that cannot be used will not fix itself: a distinct code that systemd does not restart on.
                await Console.Error.WriteLineAsync($"edgesam2: the model set cannot be used: {e.Message}").ConfigureAwait(false);
                await host.StopAsync().ConfigureAwait(false);
                return ExitCodes.ModelUnusable;
            }
            catch (Exception e)
            {
                // A model that does not load, an ORT library that does not open: the message is ORT's or the manifest's.
                await Console.Error.WriteLineAsync($"edgesam2: failed to start: {e.Message}").ConfigureAwait(false);
                await host.StopAsync().ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            await host.WaitForShutdownAsync().ConfigureAwait(false);
            return Environment.ExitCode;
        }
    }

    /// <summary>
    /// Layers a platform overlay over the config file: a relative path is looked for in the working directory, then
    /// beside the config file (so <c>--overlay jetson.json</c> finds /etc/edgesam2/jetson.json).
    /// </summary>
    private static void AddOverlay(ConfigurationManager configuration, string overlayPath, string fullConfigPath)
    {
        var full = Path.GetFullPath(overlayPath);
        if (!File.Exists(full) && !Path.IsPathRooted(overlayPath))
        {
            full = Path.Combine(Path.GetDirectoryName(fullConfigPath)!, overlayPath);
        }

        if (!File.Exists(full))
        {
            throw new AgentConfigurationException($"the overlay '{overlayPath}' does not exist (looked in {Directory.GetCurrentDirectory()} and beside {fullConfigPath}; from --overlay or EDGESAM2_OVERLAY).");
        }

        try
        {
            configuration.AddJsonFile(full, optional: false, reloadOnChange: false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            var cause = e;
            while (cause.InnerException is not null)
            {
                cause = cause.InnerException;
            }

            throw new AgentConfigurationException($"the overlay '{full}' {(e is InvalidDataException ? "is not valid JSON" : "cannot be read")}: {cause.Message}");
        }
    }

    private static (string ConfigPath, string? OverlayPath, string[] Remaining) SplitConfigArgument(string[] args)
    {
        var rest = new List<string>();
        string? path = null;
        string? overlay = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                path = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                path = args[i]["--config=".Length..];
            }
            else if (args[i] == "--overlay" && i + 1 < args.Length)
            {
                overlay = args[++i];
            }
            else if (args[i].StartsWith("--overlay=", StringComparison.Ordinal))
            {
                overlay = args[i]["--overlay=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        path ??= Environment.GetEnvironmentVariable("EDGESAM2_CONFIG") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultConfigPath;
        overlay ??= Environment.GetEnvironmentVariable("EDGESAM2_OVERLAY") is { Length: > 0 } overlayFromEnvironment ? overlayFromEnvironment : null;
        return (path, overlay, [.. rest]);
    }

    private static void ConfigureLogging(HostApplicationBuilder builder)
    {
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        if (Environment.GetEnvironmentVariable("INVOCATION_ID") is { Length: > 0 })
        {
            builder.Logging.AddSystemdConsole(); // journald: priority prefixes, no colours
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = false;
            });
        }
    }
}
