namespace EdgeSam2.Video.Tests;

internal static class FrameAssert
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static (byte R, byte G, byte B) Pixel(VideoFrame frame, int x, int y)
    {
        var span = frame.Rgb24.Span;
        var offset = ((y * frame.Width) + x) * 3;
        return (span[offset], span[offset + 1], span[offset + 2]);
    }

    /// <summary>Every pixel of the frame equals <paramref name="expected"/> exactly.</summary>
    public static void Uniform(VideoFrame frame, (byte R, byte G, byte B) expected)
    {
        var span = frame.Rgb24.Span;
        for (var i = 0; i < span.Length; i += 3)
        {
            if (span[i] != expected.R || span[i + 1] != expected.G || span[i + 2] != expected.B)
            {
                Assert.Fail($"frame {frame.Sequence} pixel {i / 3}: ({span[i]},{span[i + 1]},{span[i + 2]}), expected {expected}");
            }
        }
    }

    public static void Near((byte R, byte G, byte B) actual, (byte R, byte G, byte B) expected, int tolerance)
    {
        Assert.True(
            Math.Abs(actual.R - expected.R) <= tolerance && Math.Abs(actual.G - expected.G) <= tolerance && Math.Abs(actual.B - expected.B) <= tolerance,
            $"colour {actual} is not within {tolerance} of {expected}");
    }

    public static async Task<VideoFrame> ReadAsync(this DecoderVideoSource source)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await source.Frames.ReadAsync(timeout.Token);
    }

    /// <summary>Completes with the first stats snapshot raised with a state change that satisfies <paramref name="condition"/>.</summary>
    public static Task<VideoSourceStats> WhenState(this DecoderVideoSource source, Func<VideoSourceStats, bool> condition)
    {
        var signal = new TaskCompletionSource<VideoSourceStats>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.StateChanged += (_, stats) =>
        {
            if (condition(stats))
            {
                signal.TrySetResult(stats);
            }
        };
        return signal.Task.WaitAsync(Timeout);
    }
}
