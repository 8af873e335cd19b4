using System.Diagnostics;
using System.Globalization;

namespace EdgeSam2.Bench.Agent;

/// <summary>
/// Samples, from /proc, the agent's resident memory and CPU time and the CPU time of its decoder children (ffmpeg),
/// every <see cref="Period"/> until disposed. A decoder that has exited keeps the last CPU time seen for it, so a
/// Deterministic file's decoder, which ends before the last frames are tracked, still counts in full.
/// </summary>
internal sealed class ProcessProbe : IAsyncDisposable
{
    /// <summary>Linux reports CPU times in clock ticks of 1/100 s on every platform .NET runs on (USER_HZ).</summary>
    public const double TicksPerSecond = 100;

    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    private readonly int _pid;
    private readonly Lock _gate = new();
    private readonly List<ProbeSample> _samples = [];
    private readonly Dictionary<int, long> _decoderTicks = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ProcessProbe(int pid)
    {
        _pid = pid;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The samples so far.</summary>
    public List<ProbeSample> Samples()
    {
        lock (_gate)
        {
            return [.. _samples];
        }
    }

    /// <summary>Takes a sample now (also at the end of a phase, so its figures are current).</summary>
    public ProbeSample Sample()
    {
        var rss = ReadRss(_pid);
        var agentTicks = ReadCpuTicks(_pid, out _, out _);
        long decoders = 0;
        lock (_gate)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var child))
                {
                    continue;
                }

                var ticks = ReadCpuTicks(child, out var parent, out var name);
                if (parent == _pid && name == "ffmpeg" && ticks >= 0)
                {
                    _decoderTicks[child] = ticks;
                }
            }

            foreach (var ticks in _decoderTicks.Values)
            {
                decoders += ticks;
            }

            var sample = new ProbeSample(Stopwatch.GetTimestamp(), rss, agentTicks, decoders);
            _samples.Add(sample);
            return sample;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            do
            {
                Sample();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static long ReadRss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line.AsSpan(6).Trim();
                    return long.Parse(kb[..kb.IndexOf(' ')], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }

        return -1;
    }

    /// <summary>utime + stime of <paramref name="pid"/> in clock ticks, or −1 when it is gone.</summary>
    private static long ReadCpuTicks(int pid, out int parent, out string name)
    {
        (parent, name) = (-1, "");
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }

        // The command name is in parentheses and may itself hold spaces or parentheses: fields follow the last ')'.
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return -1;
        }

        name = stat[(open + 1)..close];
        var fields = stat[(close + 2)..].Split(' ');
        parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}

/// <summary>One /proc sample: RSS in bytes (−1 once the agent is gone), CPU ticks of the agent and of all its decoders so far.</summary>
internal readonly record struct ProbeSample(long Timestamp, long ResidentBytes, long AgentTicks, long DecoderTicks);
