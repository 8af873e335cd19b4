namespace EdgeSam2.Agent.Scheduling;

/// <summary>
/// Who may run next on a resource with a fixed number of slots: first come, first served. A caller that finds a free
/// slot and nobody waiting runs at once; otherwise it waits in line, and a leaving runner hands its slot straight to
/// the head of the line, so a caller that comes back at once queues behind everyone already waiting (a camera that
/// issues many runs per frame cannot overtake one that issues few). Pure logic, no threads: the caller locks.
/// </summary>
/// <typeparam name="T">The waiter's identity (its wake-up state).</typeparam>
internal sealed class FairAdmission<T>(int slots)
    where T : class
{
    // FIFO. The line is as long as the number of cameras at most (each tracking thread waits for one run at a time).
    private readonly List<T> _line = new(8);

    public int Slots { get; } = slots >= 1 ? slots : throw new ArgumentOutOfRangeException(nameof(slots), slots, "at least one slot");

    /// <summary>Callers running now.</summary>
    public int Running { get; private set; }

    /// <summary>Callers waiting in line.</summary>
    public int Waiting => _line.Count;

    /// <summary>True when <paramref name="who"/> may run now; otherwise it is put at the end of the line.</summary>
    public bool TryEnter(T who)
    {
        if (Running < Slots && _line.Count == 0)
        {
            Running++;
            return true;
        }

        _line.Add(who);
        return false;
    }

    /// <summary>A runner leaves: its slot goes to the head of the line (returned, to be woken), or becomes free (null).</summary>
    public T? Exit()
    {
        if (Running == 0)
        {
            throw new InvalidOperationException("Exit without a matching Enter.");
        }

        if (_line.Count == 0)
        {
            Running--;
            return null;
        }

        var next = _line[0];
        _line.RemoveAt(0);
        return next;
    }
}
