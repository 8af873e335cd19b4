using System.Diagnostics;
using System.Text;

namespace EdgeSam2.Agent.Tests.Support;

/// <summary>The agent as a child process (<c>dotnet EdgeSam2.Agent.dll --config …</c>), as systemd would run it.</summary>
internal sealed class ChildAgent : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private ChildAgent(Process process) => _process = process;

    /// <summary>The process id (for /proc/{id}/status).</summary>
    public int Id => _process.Id;

    /// <summary>Resident memory (VmRSS) in bytes, read from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("no VmRSS line in /proc/" + _process.Id + "/status");
    }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static ChildAgent Start(string configPath, IReadOnlyDictionary<string, string>? environment = null) =>
        StartWith(["--config", configPath], environment);

    /// <summary>Runs the agent binary with <paramref name="arguments"/> (e.g. a <c>models</c> command).</summary>
    public static ChildAgent StartWith(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EdgeSam2.Agent.dll"), .. arguments])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            process.StartInfo.Environment[name] = value;
        }

        var agent = new ChildAgent(process);
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>The exit code; throws with the output when the agent is still running after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the agent did not exit within {timeout}. Output:\n{Output}");
        }

        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd stops a service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>True once the process has exited (crashed, or stopped by itself).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no clean shutdown, the MQTT connection just dies.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                _output.AppendLine(line);
            }
        }
    }
}
