using System.IO.Pipes;
using System.Text;

namespace EdgeSam2.Video.Tests;

/// <summary>The decoder's stderr split into lines, on its own thread, from a real pipe.</summary>
public sealed class StderrLineReaderTests
{
    [Fact]
    public async Task Start_LinesWrittenInPieces_EachLineWholeAndInOrder()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var lines = new List<string>();
        var reader = StderrLineReader.Start(client, line => lines.Add(Encoding.UTF8.GetString(line)), "test stderr");

        // A line split across writes, a CRLF ending, an empty line, and a last line with no newline before the end.
        foreach (var piece in new[] { "[Parsed_showinfo_1 @ 0x1] n:   0 ", "pts:      0\nsecond line\r\n", "\nthird", " é\nlast" })
        {
            server.Write(Encoding.UTF8.GetBytes(piece));
            server.Flush();
        }

        server.Dispose();
        await reader.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["[Parsed_showinfo_1 @ 0x1] n:   0 pts:      0", "second line", "", "third é", "last"], lines);
    }

    [Fact]
    public void ReadToEnd_HandlerThrowsOnALine_ThatLineDroppedTheRestDelivered()
    {
        var lines = new List<string>();
        StderrLineReader.ReadToEnd(new MemoryStream(Encoding.ASCII.GetBytes("one\nbad\nthree\n")), line =>
        {
            var text = Encoding.ASCII.GetString(line);
            if (text == "bad")
            {
                throw new FormatException("a line the parser cannot take");
            }

            lines.Add(text);
        });

        Assert.Equal(["one", "three"], lines);
    }

    [Fact]
    public void ReadToEnd_LineLongerThanTheLimit_CutAtTheLimit()
    {
        var text = new string('x', StderrLineReader.MaxLineBytes + 100) + "\nnext\n";
        var lengths = new List<int>();

        StderrLineReader.ReadToEnd(new MemoryStream(Encoding.ASCII.GetBytes(text)), line => lengths.Add(line.Length));

        Assert.Equal([StderrLineReader.MaxLineBytes, 4], lengths);
    }
}
