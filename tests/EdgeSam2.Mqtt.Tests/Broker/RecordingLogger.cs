using Microsoft.Extensions.Logging;

namespace EdgeSam2.Mqtt.Tests.Broker;

/// <summary>Keeps every log line the client writes, so a test can count the warnings an operator would see.</summary>
internal sealed class RecordingLogger : ILogger<MqttClient>
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, string Text)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Text)> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public IReadOnlyList<string> At(LogLevel level) => [.. Lines.Where(l => l.Level == level).Select(l => l.Text)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
