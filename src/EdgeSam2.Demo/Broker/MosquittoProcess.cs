using System.Diagnostics;
using EdgeSam2.Demo.AgentProcess;

namespace EdgeSam2.Demo.Broker;

/// <summary>
/// A real mosquitto for the length of the demo: anonymous, on 127.0.0.1 and a free port, configured by a generated
/// file. Ready means mosquitto itself logged that it is running; disposing stops it (SIGTERM, then SIGKILL).
/// </summary>
internal sealed class MosquittoProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _log = [];

    private MosquittoProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>What mosquitto logged so far.</summary>
    public string Log
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>Writes <c>mosquitto.conf</c> into <paramref name="directory"/>, starts mosquitto and waits until it reports running.</summary>
    /// <exception cref="InvalidOperationException">mosquitto exited or did not report running in time; the message carries its log.</exception>
    public static async Task<MosquittoProcess> StartAsync(string directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var port = LoopbackPort.Next();
        var configPath = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(configPath, Configuration(port, Environment.UserName), cancellationToken).ConfigureAwait(false);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("mosquitto")
            {
                ArgumentList = { "-c", configPath },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        var broker = new MosquittoProcess(process, port);
        process.ErrorDataReceived += (_, e) => broker.OnLine(e.Data, running);
        process.OutputDataReceived += (_, e) => broker.OnLine(e.Data, running);
        process.Exited += (_, _) => running.TrySetException(new InvalidOperationException($"mosquitto exited before it was ready:\n{broker.Log}"));
        try
        {
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            await running.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return broker;
        }
        catch (TimeoutException)
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"mosquitto did not report running within {timeout.TotalSeconds:0} s:\n{broker.Log}");
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The broker's configuration: loopback only, anonymous, log to stderr, nothing persisted.</summary>
    public static string Configuration(int port, string user) =>
        $"""
        listener {port} 127.0.0.1
        allow_anonymous true
        persistence false
        log_dest stderr
        log_type error
        log_type warning
        log_type notice
        log_type information
        connection_messages true
        user {user}

        """;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                PosixSignals.Terminate(_process.Id);
                using var grace = new CancellationTokenSource(StopGrace);
                try
                {
                    await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill();
                    await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }

    private void OnLine(string? line, TaskCompletionSource running)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.Add(line);
        }

        if (line.Contains("mosquitto version", StringComparison.Ordinal) && line.EndsWith(" running", StringComparison.Ordinal))
        {
            running.TrySetResult();
        }
    }
}
