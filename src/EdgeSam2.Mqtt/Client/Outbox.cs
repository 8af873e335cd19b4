namespace EdgeSam2.Mqtt.Client;

/// <summary>
/// The bounded FIFO of QoS 1 publications waiting for a connection or for an in-flight slot. When full the oldest
/// is dropped (and counted); a newer retained message replaces a queued one on the same topic, so a long outage
/// leaves the latest state, not a backlog of stale ones. Single lock; every operation is O(1) bar requeueing.
/// </summary>
internal sealed class Outbox(int capacity)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<QueuedPublish> _queue = new();
    private readonly Dictionary<string, LinkedListNode<QueuedPublish>> _retained = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Appends; returns what had to make room (the oldest message, or the retained one it replaces), or null.</summary>
    public QueuedPublish? Enqueue(QueuedPublish item)
    {
        QueuedPublish? displaced = null;
        lock (_gate)
        {
            item.Sequence = ++_sequence;
            if (item.Message.Retain && _retained.TryGetValue(item.Message.Topic, out var stale))
            {
                Unlink(stale);
                displaced = stale.Value;
            }

            var node = _queue.AddLast(item);
            if (item.Message.Retain)
            {
                _retained[item.Message.Topic] = node;
            }

            if (displaced is null && _queue.Count > capacity)
            {
                displaced = _queue.First!.Value;
                Unlink(_queue.First);
            }

            Signal();
        }

        return displaced;
    }

    /// <summary>Appends only when there is room (perishable traffic must not push events out).</summary>
    public bool TryEnqueue(QueuedPublish item, int limit)
    {
        lock (_gate)
        {
            if (_queue.Count >= Math.Min(limit, capacity))
            {
                return false;
            }

            item.Sequence = ++_sequence;
            _queue.AddLast(item);
            Signal();
            return true;
        }
    }

    /// <summary>
    /// Puts an unacknowledged message back in sequence order, ahead of newer ones. Returns what was dropped to keep
    /// the bound (the oldest message, possibly this one), or null. A retained message whose topic has a newer copy
    /// queued is superseded instead: <paramref name="superseded"/> is true and nothing is added.
    /// </summary>
    public QueuedPublish? Requeue(QueuedPublish item, out bool superseded)
    {
        lock (_gate)
        {
            superseded = item.Message.Retain && _retained.ContainsKey(item.Message.Topic);
            if (superseded)
            {
                return null;
            }

            var node = _queue.First;
            while (node is not null && node.Value.Sequence < item.Sequence)
            {
                node = node.Next;
            }

            var added = node is null ? _queue.AddLast(item) : _queue.AddBefore(node, item);
            if (item.Message.Retain)
            {
                _retained[item.Message.Topic] = added;
            }

            QueuedPublish? dropped = null;
            if (_queue.Count > capacity)
            {
                dropped = _queue.First!.Value;
                Unlink(_queue.First);
            }

            Signal();
            return dropped;
        }
    }

    /// <summary>Takes the oldest message, or returns a task that completes when something is added.</summary>
    public bool TryDequeue(out QueuedPublish? item, out Task changed)
    {
        lock (_gate)
        {
            changed = _changed.Task;
            if (_queue.First is not { } first)
            {
                item = null;
                return false;
            }

            Unlink(first);
            item = first.Value;
            return true;
        }
    }

    private void Unlink(LinkedListNode<QueuedPublish> node)
    {
        if (node.Value.Message.Retain
            && _retained.TryGetValue(node.Value.Message.Topic, out var indexed)
            && ReferenceEquals(indexed, node))
        {
            _retained.Remove(node.Value.Message.Topic);
        }

        _queue.Remove(node);
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
