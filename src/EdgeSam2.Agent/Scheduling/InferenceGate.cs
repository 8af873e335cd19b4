namespace EdgeSam2.Agent.Scheduling;

/// <summary>
/// The turn-taking gate in front of the shared model set: every graph run of every camera enters it, at most
/// <c>Model:ConcurrentRuns</c> at a time, in arrival order (<see cref="FairAdmission{T}"/>). Blocking: it is entered
/// from the cameras' dedicated tracking threads, never from a pool thread. No cancellation: a wait lasts at most the
/// graph runs ahead of it, which cannot be interrupted either, so a stopping camera finishes its frame and leaves.
/// </summary>
internal sealed class InferenceGate
{
    private readonly Lock _sync = new();
    private readonly FairAdmission<Turn> _admission;

    public InferenceGate(int concurrentRuns)
    {
        _admission = new FairAdmission<Turn>(concurrentRuns);
    }

    /// <summary>Runs allowed at once.</summary>
    public int ConcurrentRuns => _admission.Slots;

    /// <summary>Callers waiting now (for tests and diagnostics).</summary>
    public int Waiting
    {
        get
        {
            lock (_sync)
            {
                return _admission.Waiting;
            }
        }
    }

    /// <summary>One caller's reusable place in line (one per tracking thread), so entering allocates nothing.</summary>
    public Turn CreateTurn() => new(this);

    /// <summary>A caller's identity at the gate. Not thread-safe: one thread uses it, one run at a time.</summary>
    internal sealed class Turn
    {
        private readonly InferenceGate _gate;
        private readonly object _signal = new();
        private bool _admitted;

        internal Turn(InferenceGate gate) => _gate = gate;

        /// <summary>Blocks until it is this caller's turn.</summary>
        public void Enter()
        {
            bool now;
            lock (_gate._sync)
            {
                now = _gate._admission.TryEnter(this);
            }

            if (now)
            {
                return;
            }

            lock (_signal)
            {
                while (!_admitted)
                {
                    Monitor.Wait(_signal);
                }

                _admitted = false;
            }
        }

        /// <summary>Leaves the gate, handing the slot to the next caller in line.</summary>
        public void Exit()
        {
            Turn? next;
            lock (_gate._sync)
            {
                next = _gate._admission.Exit();
            }

            if (next is not null)
            {
                lock (next._signal)
                {
                    next._admitted = true;
                    Monitor.Pulse(next._signal);
                }
            }
        }
    }
}
