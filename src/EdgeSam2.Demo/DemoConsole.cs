namespace EdgeSam2.Demo;

/// <summary>The demo's readable progress on stdout, errors on stderr. Lines are written whole, so the session's pump and the main flow can both print.</summary>
internal sealed class DemoConsole(int stepCount)
{
    private readonly Lock _gate = new();

    /// <summary>Announces step <paramref name="number"/>.</summary>
    public void Step(int number, string text) => Write(Console.Out, $"[{number}/{stepCount}] {text}");

    /// <summary>A line under the current step.</summary>
    public void Detail(string text) => Write(Console.Out, $"      {text}");

    /// <summary>A failure, on stderr.</summary>
    public void Error(string text) => Write(Console.Error, $"demo: {text}");

    /// <summary>A line as is.</summary>
    public void Line(string text) => Write(Console.Out, text);

    private void Write(TextWriter writer, string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
        }
    }
}
