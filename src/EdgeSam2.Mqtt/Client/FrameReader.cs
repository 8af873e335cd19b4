using System.Buffers;
using EdgeSam2.Mqtt.Packets;

namespace EdgeSam2.Mqtt.Client;

internal enum FrameStatus
{
    Packet,
    Closed,
    Malformed,
    TooLarge,
}

/// <summary>One framed packet; <see cref="Body"/> points into the reader's buffer and is valid until the next read.</summary>
internal readonly record struct Frame(FrameStatus Status, FixedHeader Header, ReadOnlyMemory<byte> Body);

/// <summary>Cuts the byte stream from the broker into packets, reusing one pooled buffer that grows to the largest packet.</summary>
internal sealed class FrameReader(Stream stream, int maximumPacketSize) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(8192);
    private int _start;
    private int _end;

    public async ValueTask<Frame> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = FixedHeader.TryRead(_buffer.AsSpan(_start, _end - _start), out var header);
            if (status == OperationStatus.InvalidData)
            {
                return new Frame(FrameStatus.Malformed, default, default);
            }

            if (status == OperationStatus.Done)
            {
                if (header.TotalLength > maximumPacketSize)
                {
                    return new Frame(FrameStatus.TooLarge, header, default);
                }

                if (_end - _start >= header.TotalLength)
                {
                    var body = _buffer.AsMemory(_start + header.HeaderLength, header.RemainingLength);
                    _start += header.TotalLength;
                    return new Frame(FrameStatus.Packet, header, body);
                }

                MakeRoom(header.TotalLength);
            }
            else
            {
                MakeRoom(5);
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return new Frame(FrameStatus.Closed, default, default);
            }

            _end += read;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the unread bytes to the front and grows the buffer so that a whole packet of <paramref name="needed"/> bytes fits.</summary>
    private void MakeRoom(int needed)
    {
        var pending = _end - _start;
        if (_start > 0 && (_buffer.Length - _start < needed || _end == _buffer.Length))
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _start = 0;
            _end = pending;
        }

        if (_buffer.Length - _start < needed || _end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(_start, pending).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
            _start = 0;
            _end = pending;
        }
    }
}
