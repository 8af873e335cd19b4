using System.Diagnostics;
using System.Text;

namespace EdgeSam2.Testing.Mosquitto;

/// <summary>
/// A real mosquitto on 127.0.0.1 and a free port, private to one test. Ready means the broker itself logged that it
/// is running. <see cref="Kill"/> and <see cref="RestartAsync"/> simulate a broker crash and its return on the same
/// port; disposing stops the process and deletes its folder.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly MosquittoBrokerOptions _options;
    private readonly string _directory;
    private readonly string _configPath;
    private readonly Lock _gate = new();
    private readonly List<string> _log = [];
    private readonly List<(string Text, TaskCompletionSource<string> Seen)> _waiters = [];
    private Process? _process;

    private MosquittoBroker(MosquittoBrokerOptions options, int port)
    {
        _options = options;
        Port = port;
        _directory = Directory.CreateTempSubdirectory("edgesam2-mosquitto-").FullName;
        _configPath = Path.Combine(_directory, "mosquitto.conf");
    }

    /// <summary>Always the loopback address: tests never leave the machine.</summary>
    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>The folder holding the configuration, password file and (with persistence) the database.</summary>
    public string WorkingDirectory => _directory;

    /// <summary>Everything the broker logged so far, across restarts.</summary>
    public IReadOnlyList<string> LogLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    public static async Task<MosquittoBroker> StartAsync(MosquittoBrokerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var broker = new MosquittoBroker(options ?? new MosquittoBrokerOptions(), FreePort.Next());
        try
        {
            await broker.WriteConfigurationAsync(cancellationToken).ConfigureAwait(false);
            await broker.LaunchAsync(cancellationToken).ConfigureAwait(false);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Completes with the first log line (past or future) that contains <paramref name="text"/>; throws after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLogAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _log)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }

            _waiters.Add((text, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"mosquitto did not log '{text}' within {timeout}. Log:\n{string.Join('\n', LogLines)}");
        }
    }

    /// <summary>Kills the broker at once (SIGKILL: no clean shutdown, connections just die) and waits for it to exit.</summary>
    public void Kill()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.WaitForExit();
        process.Dispose();
    }

    /// <summary>
    /// Freezes the broker (SIGSTOP): connections stay open but nothing is read or acknowledged, as with a broker
    /// that hangs or a link that stalls. <see cref="Thaw"/> lets it go on.
    /// </summary>
    public void Freeze() => Signal("-STOP");

    /// <summary>Resumes a frozen broker (SIGCONT).</summary>
    public void Thaw() => Signal("-CONT");

    /// <summary>Kills the broker if it runs and starts it again on the same port.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Kill();
        await LaunchAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private void Signal(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("mosquitto is not running.");
        using var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {process.Id} failed with {kill.ExitCode}.");
        }
    }

    private async Task WriteConfigurationAsync(CancellationToken cancellationToken)
    {
        var config = new StringBuilder();
        config.AppendLine($"listener {Port} 127.0.0.1");
        foreach (var line in _options.ListenerConfig)
        {
            config.AppendLine(line);
        }

        config.AppendLine($"allow_anonymous {(_options.AllowAnonymous ? "true" : "false")}");
        config.AppendLine("log_dest stderr");
        config.AppendLine(_options.VerboseLog ? "log_type all" : "log_type error\nlog_type warning\nlog_type notice\nlog_type information");
        config.AppendLine("connection_messages true");

        // As root mosquitto would switch to the 'mosquitto' user and lose access to our temporary files.
        config.AppendLine($"user {Environment.UserName}");
        if (_options.Persistence)
        {
            config.AppendLine("persistence true");
            config.AppendLine($"persistence_location {_directory}/");
        }
        else
        {
            config.AppendLine("persistence false");
        }

        if (_options.Users is { } users)
        {
            var passwordFile = Path.Combine(_directory, "passwd");
            await File.WriteAllTextAsync(passwordFile, "", cancellationToken).ConfigureAwait(false);
            foreach (var (user, password) in users)
            {
                await RunPasswdAsync(passwordFile, user, password, cancellationToken).ConfigureAwait(false);
            }

            config.AppendLine($"password_file {passwordFile}");
        }

        if (_options.Acl is { } acl)
        {
            var aclFile = Path.Combine(_directory, "acl");
            await File.WriteAllTextAsync(aclFile, acl, cancellationToken).ConfigureAwait(false);
            config.AppendLine($"acl_file {aclFile}");
        }

        foreach (var line in _options.ExtraConfig)
        {
            config.AppendLine(line);
        }

        await File.WriteAllTextAsync(_configPath, config.ToString(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task RunPasswdAsync(string file, string user, string password, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("mosquitto_passwd")
        {
            ArgumentList = { "-b", file, user, password },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("mosquitto_passwd did not start.");
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_passwd failed ({process.ExitCode}): {errors}");
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var running = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("mosquitto")
            {
                ArgumentList = { "-c", _configPath },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        process.ErrorDataReceived += (_, e) => OnLogLine(e.Data, running);
        process.OutputDataReceived += (_, e) => OnLogLine(e.Data, running);
        process.Exited += (_, _) => running.TrySetException(new InvalidOperationException(
            $"mosquitto exited before it was ready. Log:\n{string.Join('\n', LogLines)}"));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        try
        {
            await running.Task.WaitAsync(_options.StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new TimeoutException($"mosquitto did not report running within {_options.StartTimeout}. Log:\n{string.Join('\n', LogLines)}");
        }
    }

    private void OnLogLine(string? line, TaskCompletionSource<string> running)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (line.Contains(_waiters[i].Text, StringComparison.Ordinal))
                {
                    _waiters[i].Seen.TrySetResult(line);
                    _waiters.RemoveAt(i);
                }
            }
        }

        if (line.Contains("mosquitto version", StringComparison.Ordinal) && line.EndsWith(" running", StringComparison.Ordinal))
        {
            running.TrySetResult(line);
        }
    }
}
