using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace EdgeSam2.Video;

/// <summary>
/// The GStreamer Data Protocol 1.0 that <c>gdppay</c> writes: every buffer, caps and event as a 62-byte big-endian
/// header and then its payload. The agent reads gst-launch's frames through it because raw frames on a pipe lose their
/// presentation times, and the header carries each buffer's (offset 10, nanoseconds). Layout (gst/gdp/dataprotocol.c):
/// version 1.0 in bytes 0–1, flags, padding, payload type at 4 (1 = buffer, 2 = caps, 64 + n = event n), payload length
/// at 6, PTS at 10, duration at 18, offsets at 26 and 34, buffer flags at 42, DTS at 44, the CRCs at 58 and 60.
/// </summary>
internal static class GdpPacket
{
    public const int HeaderBytes = 62;
    private const ushort BufferPayload = 1;
    private const ulong ClockTimeNone = ulong.MaxValue;

    /// <summary>Reads packets until the next buffer, skipping caps and events; null at a clean end of the stream.</summary>
    /// <param name="input">The decoder's stdout.</param>
    /// <param name="scratch">At least <see cref="HeaderBytes"/> bytes: the header, then pieces of skipped payloads.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="InvalidDataException">A header that is not GDP 1.0, or a stream that ends inside a packet.</exception>
    // Called once a frame and usually waiting for it: a pooled state machine keeps the frame loop allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<GdpBuffer?> ReadBufferHeaderAsync(Stream input, byte[] scratch, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await input.ReadAtLeastAsync(scratch.AsMemory(0, HeaderBytes), HeaderBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            if (read < HeaderBytes)
            {
                throw new InvalidDataException($"the decoder's output ended inside a GDP header ({read} of {HeaderBytes} bytes)");
            }

            var (type, length, pts) = Parse(scratch.AsSpan(0, HeaderBytes));
            if (type == BufferPayload)
            {
                return new GdpBuffer(length, pts);
            }

            // Caps, stream-start, segment and tag events: a few hundred bytes at the start and after a reconnect.
            for (var left = length; left > 0;)
            {
                var chunk = (int)Math.Min(left, (uint)scratch.Length);
                var skipped = await input.ReadAtLeastAsync(scratch.AsMemory(0, chunk), chunk, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (skipped < chunk)
                {
                    throw new InvalidDataException("the decoder's output ended inside a GDP event");
                }

                left -= (uint)chunk;
            }
        }
    }

    /// <summary>The payload type, payload length and PTS in seconds (null when the buffer has none) of one header.</summary>
    /// <exception cref="InvalidDataException">Not GDP 1.0.</exception>
    public static (ushort Type, uint Length, double? PtsSeconds) Parse(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderBytes)
        {
            throw new InvalidDataException($"a GDP header is {HeaderBytes} bytes, not {header.Length}");
        }

        if (header[0] != 1 || header[1] != 0)
        {
            throw new InvalidDataException($"the decoder's output is not GDP 1.0 (version bytes {header[0]}.{header[1]})");
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[6..]);
        var pts = BinaryPrimitives.ReadUInt64BigEndian(header[10..]);
        return (type, length, pts == ClockTimeNone ? null : pts / 1e9);
    }
}

/// <summary>One buffer's header: the payload that follows it and its presentation time.</summary>
/// <param name="Length">Payload bytes.</param>
/// <param name="PtsSeconds">Presentation time in seconds; null when the buffer has none.</param>
internal readonly record struct GdpBuffer(uint Length, double? PtsSeconds);
