using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Onnx.Tests.Support;

/// <summary>Records every log entry, for asserting on what the code under test reported.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _entries.Enqueue(new Entry(logLevel, eventId, formatter(state, exception)));
    }

    public sealed record Entry(LogLevel Level, EventId EventId, string Message);
}

/// <summary>A logger factory whose loggers all write to one <see cref="CapturingLogger"/>.</summary>
internal sealed class CapturingLoggerFactory(CapturingLogger logger) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => logger;

    public void Dispose()
    {
    }
}
