namespace EdgeSam2.Video;

/// <summary>The last lines a decoder wrote to stderr: kept for the log line and error message when it exits.</summary>
internal sealed class StderrTail(int capacity)
{
    private readonly Queue<string> _lines = new(capacity);
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    /// <summary>The lines kept, oldest first.</summary>
    public string[] Lines()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return string.Join(" | ", _lines);
        }
    }
}
