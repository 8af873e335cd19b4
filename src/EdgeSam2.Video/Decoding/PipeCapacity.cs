using System.Globalization;
using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace EdgeSam2.Video;

/// <summary>
/// Grows the decoder's stdout pipe (Linux <c>F_SETPIPE_SZ</c>) so one raw frame fits in it. With the default 64 KiB a
/// 512×384 RGB frame (576 KiB) crosses the pipe in nine chunks: the decoder blocks nine times a frame, and each chunk
/// the agent reads asynchronously can find the pipe empty, wait for epoll, and wake a thread-pool worker. Sized to the
/// frame, the decoder writes a frame in one go and the agent mostly reads it in one or two calls.
/// </summary>
internal static partial class PipeCapacity
{
    // linux/fcntl.h: F_LINUX_SPECIFIC_BASE (1024) + 7 and + 8.
    private const int SetPipeSize = 1031;
    private const int GetPipeSize = 1032;

    // What an unprivileged process may ask for; 1 MiB unless the box changed it.
    private const string MaxSizePath = "/proc/sys/fs/pipe-max-size";
    private const int DefaultMaxSize = 1 << 20;

    /// <summary>
    /// Asks for at least <paramref name="bytes"/> of capacity, capped at the system's pipe-max-size. Returns the capacity
    /// the pipe has afterwards, or 0 where it cannot tell (not Linux, not a pipe, the call refused): then the pipe keeps
    /// its size, which only costs speed.
    /// </summary>
    public static int TryGrow(Stream stream, int bytes)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe)
        {
            return 0;
        }

        var handle = pipe.SafePipeHandle;
        var current = Fcntl(handle, GetPipeSize, 0);
        if (current < 0 || current >= bytes)
        {
            return Math.Max(current, 0);
        }

        // The kernel rounds the size up to a power of two pages; asking above pipe-max-size fails outright.
        var grown = Fcntl(handle, SetPipeSize, Math.Min(bytes, MaxSize()));
        return grown > 0 ? grown : current;
    }

    private static int MaxSize()
    {
        try
        {
            return int.TryParse(File.ReadAllText(MaxSizePath).AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max > 0
                ? max
                : DefaultMaxSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DefaultMaxSize;
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeHandle fd, int command, int argument);
}
