using Microsoft.Extensions.Logging;

namespace EdgeSam2.Video.Tests;

/// <summary>Keeps what a component logs and lets a test await the first entry that matches.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];
    private readonly List<(Func<LogLevel, string, bool> Match, TaskCompletionSource<string> Signal)> _waiters = [];
    private readonly Lock _gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        lock (_gate)
        {
            _entries.Add((logLevel, message));
            foreach (var (match, signal) in _waiters)
            {
                if (match(logLevel, message))
                {
                    signal.TrySetResult(message);
                }
            }
        }
    }

    /// <summary>How many entries so far are at <paramref name="level"/> and contain <paramref name="text"/>.</summary>
    public int Count(LogLevel level, string text)
    {
        lock (_gate)
        {
            return _entries.Count(e => e.Level == level && e.Message.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>The <paramref name="occurrence"/>-th entry (1 = the first), past or future, at <paramref name="level"/> containing <paramref name="text"/>.</summary>
    public Task<string> WaitFor(LogLevel level, string text, int occurrence)
    {
        var signal = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        bool Match(LogLevel l, string m) => l == level && m.Contains(text, StringComparison.Ordinal) && ++seen == occurrence;
        lock (_gate)
        {
            foreach (var (l, m) in _entries)
            {
                if (Match(l, m))
                {
                    signal.TrySetResult(m);
                }
            }

            _waiters.Add((Match, signal));
        }

        return signal.Task;
    }

    /// <summary>The first entry, past or future, at <paramref name="level"/> whose message contains <paramref name="text"/>.</summary>
    public Task<string> WaitFor(LogLevel level, string text)
    {
        var signal = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool Match(LogLevel l, string m) => l == level && m.Contains(text, StringComparison.Ordinal);
        lock (_gate)
        {
            foreach (var (l, m) in _entries)
            {
                if (Match(l, m))
                {
                    signal.TrySetResult(m);
                }
            }

            _waiters.Add((Match, signal));
        }

        return signal.Task.WaitAsync(FrameAssert.Timeout);
    }
}
