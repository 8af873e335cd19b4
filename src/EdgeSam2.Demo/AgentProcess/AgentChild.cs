using System.Diagnostics;

namespace EdgeSam2.Demo.AgentProcess;

/// <summary>
/// The real agent as a child process (<c>dotnet EdgeSam2.Agent.dll --config …</c>). Everything it prints goes to
/// its log file; the last lines are also kept in memory so a failure can show them without the user opening the file.
/// </summary>
internal sealed class AgentChild : IAsyncDisposable
{
    private const int TailLines = 40;
    private static readonly TimeSpan DisposeGrace = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private readonly Queue<string> _tail = new();

    private AgentChild(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Where the agent's output is written.</summary>
    public string LogPath { get; }

    /// <summary>Completes with the exit code when the agent exits (its output fully written to the log by then).</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(0);

    /// <summary>Starts the agent with the host that runs the demo (<c>dotnet</c>), in <paramref name="workingDirectory"/>.</summary>
    public static AgentChild Start(string agentDll, string configPath, string workingDirectory, string logPath)
    {
        if (!File.Exists(agentDll))
        {
            throw new FileNotFoundException($"The agent is not built: {agentDll} does not exist (run `make build`).", agentDll);
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(agentDll);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var child = new AgentChild(process, log, logPath);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose();
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        child.Exited = child.WaitForExitAsync();
        return child;
    }

    /// <summary>The agent's last output lines, for a failure message.</summary>
    public string Tail()
    {
        lock (_gate)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>
    /// Sends SIGTERM and waits up to <paramref name="grace"/> for a clean exit; kills it after that.
    /// Returns the exit code and whether it stopped by itself.
    /// </summary>
    public async Task<(int ExitCode, bool Clean)> StopAsync(TimeSpan grace)
    {
        if (Exited.IsCompleted)
        {
            return (await Exited.ConfigureAwait(false), true);
        }

        PosixSignals.Terminate(_process.Id);
        try
        {
            return (await Exited.WaitAsync(grace).ConfigureAwait(false), true);
        }
        catch (TimeoutException)
        {
            _process.Kill();
            return (await Exited.ConfigureAwait(false), false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(DisposeGrace).ConfigureAwait(false);
        }
        finally
        {
            _process.Dispose();
            lock (_gate)
            {
                _log.Dispose();
            }
        }
    }

    private async Task<int> WaitForExitAsync()
    {
        // Also waits for the redirected output to reach its end, so the log is complete when this completes.
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return _process.ExitCode;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
}
