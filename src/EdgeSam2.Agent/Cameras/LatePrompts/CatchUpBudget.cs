namespace EdgeSam2.Agent.Cameras.LatePrompts;

/// <summary>
/// How many kept frames a Live camera may still carry forward for late prompts: a bucket that each live frame refills by
/// <c>perLiveFrame</c> frames, up to <c>burst</c> (the ring's capacity, so one catch-up over every kept frame is always
/// possible from rest). A catch-up holds the camera's frame loop, so without it a sender naming the oldest kept frame
/// with every command would make each live frame wait for a full ring of graph runs; with it, catch-ups cost on average
/// at most <c>perLiveFrame</c> frames of tracking per live frame, whatever senders do.
/// </summary>
internal sealed class CatchUpBudget(double perLiveFrame, int burst)
{
    private double _frames = burst;

    /// <summary>Whole frames that can be carried forward now.</summary>
    public int Available => (int)_frames;

    /// <summary>Most frames the bucket holds.</summary>
    public int Burst => burst;

    /// <summary>Refills for one live frame.</summary>
    public void OnLiveFrame() => _frames = Math.Min(burst, _frames + perLiveFrame);

    /// <summary>Takes <paramref name="frames"/> frames of catch-up, or nothing and false when fewer are left.</summary>
    public bool TryTake(int frames)
    {
        if (frames > _frames)
        {
            return false;
        }

        _frames -= frames;
        return true;
    }
}
