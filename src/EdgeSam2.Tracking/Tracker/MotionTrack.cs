using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Motion;

namespace EdgeSam2.Tracking.Tracker;

/// <summary>
/// An object's motion: a constant-velocity Kalman filter on its box, updated while it is visible and coasting
/// while it is hidden, so occluded and lost objects still publish a predicted box and a velocity.
/// </summary>
internal sealed class MotionTrack
{
    private KalmanBoxFilter _filter = new();
    private DateTimeOffset _lastTime;
    private float _claimWidth;
    private float _claimHeight;

    public MotionEstimate Estimate { get; private set; }

    /// <summary>
    /// Visible frames in a row whose box overlapped the filter's prediction by IoU &gt; <see cref="StableIoU"/>
    /// (SAMURAI's stability count): until it reaches <see cref="TrackerOptions.CandidateStableFrames"/> the motion is not
    /// trusted to choose among mask candidates.
    /// </summary>
    public int StableFrames { get; private set; }

    /// <summary>SAMURAI's <c>stable_ious_threshold</c>.</summary>
    public const double StableIoU = 0.3;

    /// <summary>
    /// Takes this frame's box. <paramref name="contested"/>: another object claimed some of the same pixels, so the
    /// box may hold a part of it (or miss a part of this one); it still moves the filter, but not the claim size.
    /// </summary>
    public void Observe(bool visible, float cx, float cy, float w, float h, DateTimeOffset time, bool contested = false)
    {
        if (visible && (!contested || _claimWidth <= 0))
        {
            (_claimWidth, _claimHeight) = (w, h);
        }

        if (!_filter.IsInitialized)
        {
            if (visible)
            {
                _filter.Initialize(new CenterBox(cx, cy, w, h));
                _lastTime = time;
                Publish();
            }

            return;
        }

        if (!visible)
        {
            // A hidden object's box keeps the size it was last estimated at: published boxes and the search do not
            // shrink to nothing over a long occlusion because the visible part shrank on the way in.
            _filter.HoldSize();
        }

        var dt = (time - _lastTime).TotalSeconds;
        if (dt > 0)
        {
            _filter.Predict(dt);
            _lastTime = time;
        }

        if (visible)
        {
            var measured = new CenterBox(cx, cy, w, h);
            StableFrames = BoxIoU(_filter.PredictedBox, measured) > StableIoU ? StableFrames + 1 : 0;
            _filter.Update(measured);
        }
        else
        {
            StableFrames = 0;
        }

        Publish();
    }

    /// <summary>Forgets the motion: the next visible box starts a new track (a cut in the video, not a move).</summary>
    public void Reset()
    {
        _filter = new KalmanBoxFilter();
        StableFrames = 0;
    }

    /// <summary>
    /// The filter's box at <paramref name="time"/> (frame pixels), without changing the filter: centre moved on by the
    /// velocity, the filter's size. Null before the object was first seen.
    /// </summary>
    public CenterBox? PredictedBoxAt(DateTimeOffset time)
    {
        if (!_filter.IsInitialized)
        {
            return null;
        }

        var dt = Math.Max(0, (time - _lastTime).TotalSeconds);
        var e = Estimate;
        return new CenterBox(e.CenterX + (e.VelocityX * dt), e.CenterY + (e.VelocityY * dt), e.Width, e.Height);
    }

    /// <summary>IoU of two centre-size boxes; 0 when either is empty.</summary>
    public static double BoxIoU(CenterBox a, CenterBox b)
    {
        var iw = Math.Min(a.Cx + (a.W / 2), b.Cx + (b.W / 2)) - Math.Max(a.Cx - (a.W / 2), b.Cx - (b.W / 2));
        var ih = Math.Min(a.Cy + (a.H / 2), b.Cy + (b.H / 2)) - Math.Max(a.Cy - (a.H / 2), b.Cy - (b.H / 2));
        if (iw <= 0 || ih <= 0)
        {
            return 0;
        }

        var inter = iw * ih;
        var union = (a.W * a.H) + (b.W * b.H) - inter;
        return union > 0 ? inter / union : 0;
    }

    /// <summary>Box size (frame pixels) on the last frame no other object claimed the object's pixels; 0 before.</summary>
    public (float Width, float Height) AloneSize => (_claimWidth, _claimHeight);

    /// <summary>
    /// Where the object should be at <paramref name="time"/> (frame pixels), without changing the filter: the centre
    /// moved on by the velocity, and half the box size it had when last seen alone. Not the filter's size: a box
    /// inflated by a look-alike's pixels would claim more of them on the next frame, and so on. None before the object
    /// was first seen.
    /// </summary>
    public OwnershipPrior PriorAt(DateTimeOffset time)
    {
        if (!_filter.IsInitialized || _claimWidth <= 0 || _claimHeight <= 0)
        {
            return OwnershipPrior.None;
        }

        var dt = (float)Math.Max(0, (time - _lastTime).TotalSeconds);
        var e = Estimate;
        return new OwnershipPrior(e.CenterX + (e.VelocityX * dt), e.CenterY + (e.VelocityY * dt), _claimWidth / 2, _claimHeight / 2);
    }

    private void Publish()
    {
        var box = _filter.PredictedBox;
        var velocity = _filter.Velocity;
        Estimate = new MotionEstimate((float)box.Cx, (float)box.Cy, (float)box.W, (float)box.H, (float)velocity.Vx, (float)velocity.Vy);
    }
}
