using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Commands;

/// <summary>
/// Logs refused commands without letting a hostile sender fill the journal: the first refusal of each interval
/// (<c>Commands:LogIntervalSeconds</c>) is one Warning with the details (escaped), the others of that interval are
/// counted and summarised in one line when the interval ends. Rate-limit drops are summarised the same way.
/// </summary>
internal sealed class RefusalLog(ILogger<RefusalLog> logger, TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _windowStart = long.MinValue;
    private long _suppressed;
    private long _dropped;

    /// <summary>A command refused with a reply: <paramref name="where"/> is its topic or camera.</summary>
    public void Refused(string where, string? requestId, string field, string error)
    {
        if (Admit())
        {
            Log.CommandRefused(logger, LogText.Escape(where), LogText.Escape(requestId), LogText.Escape(field), LogText.Escape(error));
        }
    }

    /// <summary>A command dropped without a reply (over the rate limit, or no room in the reply queue).</summary>
    public void Dropped()
    {
        Flush(force: false);
        lock (_gate)
        {
            if (_windowStart == long.MinValue)
            {
                _windowStart = time.GetTimestamp();
            }

            _dropped++;
        }
    }

    /// <summary>Writes the summary of an interval that has ended (or of everything so far, when <paramref name="force"/>).</summary>
    public void Flush(bool force)
    {
        long suppressed, dropped;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (!force && (_windowStart == long.MinValue || time.GetElapsedTime(_windowStart, now) < interval))
            {
                return;
            }

            suppressed = _suppressed;
            dropped = _dropped;
            _dropped = 0;
            _suppressed = 0;
            _windowStart = long.MinValue;
        }

        if (suppressed > 0 || dropped > 0)
        {
            Log.RefusalsSummarised(logger, suppressed, dropped, interval);
        }
    }

    private bool Admit()
    {
        Flush(force: false);
        lock (_gate)
        {
            if (_windowStart == long.MinValue)
            {
                _windowStart = time.GetTimestamp();
                return true;
            }

            _suppressed++;
            return false;
        }
    }
}
