using System.Threading.Channels;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Cameras;

/// <summary>
/// Frame preparation overlapped with the graphs: while the tracking thread runs frame N, the frame loop takes frame
/// N+1 from the source when it is already there, and a pool thread normalises it to the model input, into the one of
/// two buffers that frame N is not using; frame N+1 is then handed to the tracker prepared. Only on a Deterministic
/// camera (every frame is tracked, so a frame waiting in the source is always the next one; a Live camera takes the
/// newest frame when it takes one, and a frame waiting behind a slow frame is passed over, so work on it ahead would be
/// wasted), with host normalisation (a model set that prepares frames in its own graph does it inside the encoder's
/// run) and while the camera tracks objects (a frame without any runs no graph). A frame is taken ahead only when the
/// source already holds it.
/// </summary>
internal sealed partial class CameraPipeline
{
    private readonly AheadPreparation _aheadWork = new();
    private readonly float[]?[] _aheadImages = new float[2][];
    private ChannelReader<VideoFrame>? _frames;
    private VideoFrame? _ahead; // taken from the source, not yet tracked
    private int _aheadSlot;

    /// <summary>Frame loop: the frame taken ahead, if any, else null (read the source).</summary>
    private VideoFrame? TakeAhead()
    {
        var frame = _ahead;
        _ahead = null;
        return frame;
    }

    /// <summary>
    /// Frame loop, after the tracking thread was given the current frame: takes the next frame when the source already
    /// holds one and starts its normalisation on a pool thread.
    /// </summary>
    private void PrepareNext(Sam2Tracker tracker)
    {
        if (!_deterministic || _frames is null || _ahead is not null || _aheadWork.Busy || !tracker.PreparesOnHost || Volatile.Read(ref _objects) == 0
            || !_frames.TryRead(out var next))
        {
            return;
        }

        _ahead = next;
        _aheadSlot ^= 1;
        var image = _aheadImages[_aheadSlot] ??= new float[tracker.PreparedLength];
        _aheadWork.Start(tracker, next, image);
    }

    /// <summary>
    /// Frame loop, before the frame is handed to the tracking thread: its normalised pixels when they were prepared
    /// ahead (waiting for the pool thread if it is still at it), with the time that took; empty otherwise.
    /// </summary>
    private async ValueTask<(ReadOnlyMemory<float> Image, long Ticks)> PreparedAsync(VideoFrame frame)
    {
        if (!ReferenceEquals(_aheadWork.Frame, frame))
        {
            return default;
        }

        // Still queued behind other pool work a whole frame later: the tracking thread normalises it itself (a few
        // hundred µs) rather than wait for a pool thread and then for its own wake-up.
        _aheadWork.RunHereIfNotStarted();
        await _aheadWork.Completion().ConfigureAwait(false);
        var ticks = _aheadWork.Ticks;
        var image = _aheadWork.Image;
        _aheadWork.Release();
        return (image, ticks);
    }

    /// <summary>
    /// Frame loop, before <paramref name="frame"/> is disposed (tracked, skipped or abandoned): a normalisation of it
    /// still running is awaited, since it reads the frame's pooled pixels.
    /// </summary>
    private async ValueTask SettleAheadAsync(VideoFrame? frame)
    {
        if (frame is not null && ReferenceEquals(_aheadWork.Frame, frame))
        {
            try
            {
                await _aheadWork.Completion().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the frame is dropped anyway; a failed normalisation has nothing left to tell
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            _aheadWork.Release();
        }
    }
}
