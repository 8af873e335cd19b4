namespace EdgeSam2.Video;

/// <summary>
/// When a camera's decoder was last restarted or found stalled, kept for an hour: the counts in the status message
/// and the connection-quality word come from it. Owned by the camera (not the source), so a pause that replaces the
/// source keeps its history. Thread-safe; bounded (at most <see cref="Capacity"/> entries per kind).
/// </summary>
public sealed class SupervisionHistory
{
    /// <summary>The window the counts cover.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private const int Capacity = 4096;
    private readonly TimeProvider _time;
    private readonly Queue<long> _reconnects = new();
    private readonly Queue<long> _stalls = new();
    private readonly Lock _gate = new();

    public SupervisionHistory(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>A decoder was started again after one ended or was killed.</summary>
    public void RecordReconnect() => Record(_reconnects);

    /// <summary>A decoder delivered no frame within the stall time-out.</summary>
    public void RecordStall() => Record(_stalls);

    /// <summary>Reconnects in the last hour.</summary>
    public int ReconnectsInWindow => Count(_reconnects, Window);

    /// <summary>Stalls in the last hour.</summary>
    public int StallsInWindow => Count(_stalls, Window);

    /// <summary>Reconnects plus stalls within <paramref name="period"/> (at most an hour) before now.</summary>
    public int TroubleWithin(TimeSpan period) => Count(_reconnects, period) + Count(_stalls, period);

    private void Record(Queue<long> queue)
    {
        lock (_gate)
        {
            if (queue.Count == Capacity)
            {
                queue.Dequeue();
            }

            queue.Enqueue(_time.GetTimestamp());
        }
    }

    private int Count(Queue<long> queue, TimeSpan period)
    {
        lock (_gate)
        {
            while (queue.Count > 0 && _time.GetElapsedTime(queue.Peek()) > Window)
            {
                queue.Dequeue();
            }

            var count = 0;
            foreach (var at in queue)
            {
                if (_time.GetElapsedTime(at) <= period)
                {
                    count++;
                }
            }

            return count;
        }
    }
}
