namespace EdgeSam2.Video;

/// <summary>
/// Reads a decoder's stderr line by line on a thread of its own, with blocking reads. ffmpeg writes two showinfo lines a
/// frame, each its own write: read asynchronously (Process.BeginErrorReadLine) each could cost an epoll wake-up on the
/// sockets thread, a thread-pool hop and a string; here a write wakes this thread once, and a line goes to
/// <c>onLine</c> as a span of its bytes (valid during the call only), so the caller allocates only for the lines it keeps.
/// Lines end at '\n' (a '\r' before it is dropped); one longer than <see cref="MaxLineBytes"/> is cut there.
/// </summary>
internal sealed class StderrLineReader
{
    /// <summary>Longer lines are cut: a decoder's diagnostics are short, and a runaway line must not grow a buffer without bound.</summary>
    public const int MaxLineBytes = 16 * 1024;

    private readonly Stream _stream;
    private readonly LineHandler _onLine;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _line = new byte[MaxLineBytes];
    private int _length;

    public delegate void LineHandler(ReadOnlySpan<byte> line);

    private StderrLineReader(Stream stream, LineHandler onLine)
    {
        _stream = stream;
        _onLine = onLine;
    }

    /// <summary>Completes once the stream ended (the decoder exited and its stderr drained) and the last line was handled.</summary>
    public Task Completion => _done.Task;

    /// <summary>Starts reading <paramref name="stream"/> (a blocking pipe) on a new background thread.</summary>
    public static StderrLineReader Start(Stream stream, LineHandler onLine, string threadName)
    {
        var reader = new StderrLineReader(stream, onLine);
        new Thread(reader.Run) { IsBackground = true, Name = threadName }.Start();
        return reader;
    }

    /// <summary>Reads <paramref name="stream"/> to its end on the calling thread, splitting it as the thread does (tests).</summary>
    internal static void ReadToEnd(Stream stream, LineHandler onLine) => new StderrLineReader(stream, onLine).ReadAll();

    private void Run()
    {
        try
        {
            ReadAll();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke or was closed under the read: the decoder is gone, which is the end of its stderr.
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    private void ReadAll()
    {
        var buffer = new byte[4096];
        int read;
        while ((read = _stream.Read(buffer)) > 0)
        {
            var chunk = buffer.AsSpan(0, read);
            int end;
            while ((end = chunk.IndexOf((byte)'\n')) >= 0)
            {
                Append(chunk[..end]);
                EmitLine();
                chunk = chunk[(end + 1)..];
            }

            Append(chunk);
        }

        if (_length > 0)
        {
            EmitLine();
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var room = Math.Min(bytes.Length, _line.Length - _length);
        bytes[..room].CopyTo(_line.AsSpan(_length));
        _length += room;
    }

    private void EmitLine()
    {
        var line = _line.AsSpan(0, _length);
        _length = 0;
        try
        {
            _onLine(line.EndsWith((byte)'\r') ? line[..^1] : line);
        }
#pragma warning disable CA1031 // a line the handler cannot take is dropped: on this thread an exception would end the process
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
