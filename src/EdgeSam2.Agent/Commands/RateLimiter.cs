namespace EdgeSam2.Agent.Commands;

/// <summary>What the rate limiter decided for one command.</summary>
internal enum RateDecision
{
    /// <summary>Within the limits: handle it.</summary>
    Allowed,

    /// <summary>Over a limit, and this sender has not been told for a second: answer it with the refusal.</summary>
    RefuseWithReply,

    /// <summary>Over a limit, the sender was told recently: drop it (counted), so a flood costs no replies either.</summary>
    Drop,
}

/// <summary>
/// Token buckets: one per sender and one for everyone. MQTT does not tell a subscriber who published a message, so a
/// sender is what its reply is addressed to: its MQTT 5 response topic, else the camera's plain reply topic. A
/// flooding sender empties only its own bucket, so a sender with a response topic of its own is never starved by it
/// (until the flood reaches the global limit, which bounds the agent's work whatever the senders do).
/// </summary>
internal sealed class RateLimiter(double perSenderRate, int perSenderBurst, double globalRate, TimeProvider time)
{
    // Buckets of senders not heard from for a while are forgotten; past this many the oldest full ones go first.
    private const int MaxSenders = 4096;
    private static readonly TimeSpan NoticeInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Bucket> _senders = new(StringComparer.Ordinal);
    private readonly Bucket _global = new(Math.Max(globalRate, perSenderBurst), 0);
    private readonly double _globalBurst = Math.Max(globalRate, perSenderBurst);

    /// <summary>Takes one token from <paramref name="sender"/>'s bucket and the global one, or decides how to refuse.</summary>
    public RateDecision TryAcquire(string sender, out bool global)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (!_senders.TryGetValue(sender, out var bucket))
            {
                if (_senders.Count >= MaxSenders)
                {
                    Forget(now);
                }

                bucket = new Bucket(perSenderBurst, now);
                _senders[sender] = bucket;
            }

            bucket.Refill(now, perSenderRate, perSenderBurst, time);
            _global.Refill(now, globalRate, _globalBurst, time);
            global = bucket.Tokens >= 1 && _global.Tokens < 1;
            if (bucket.Tokens >= 1 && _global.Tokens >= 1)
            {
                bucket.Tokens--;
                _global.Tokens--;
                return RateDecision.Allowed;
            }

            if (time.GetElapsedTime(bucket.LastNotice, now) >= NoticeInterval || bucket.LastNotice == 0)
            {
                bucket.LastNotice = now;
                return RateDecision.RefuseWithReply;
            }

            return RateDecision.Drop;
        }
    }

    private void Forget(long now)
    {
        var forgotten = 0;
        foreach (var (key, bucket) in _senders)
        {
            bucket.Refill(now, perSenderRate, perSenderBurst, time);
            if (bucket.Tokens >= perSenderBurst)
            {
                _senders.Remove(key);
                forgotten++;
            }
        }

        if (forgotten == 0)
        {
            // Every sender is busy: forget all of them rather than grow without bound; each starts again with a full bucket,
            // and the global bucket still holds the total.
            _senders.Clear();
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        public double Tokens = tokens;
        public long Updated = updated;
        public long LastNotice;

        public void Refill(long now, double rate, double burst, TimeProvider time)
        {
            var seconds = time.GetElapsedTime(Updated, now).TotalSeconds;
            if (seconds > 0)
            {
                Tokens = Math.Min(burst, Tokens + (seconds * rate));
                Updated = now;
            }
        }
    }
}
