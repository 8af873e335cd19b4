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

    public MotionEstimate Estimate { get; private set; }

    public void Observe(bool visible, float cx, float cy, float w, float h, DateTimeOffset time)
    {
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

        var dt = (time - _lastTime).TotalSeconds;
        if (dt > 0)
        {
            _filter.Predict(dt);
            _lastTime = time;
        }

        if (visible)
        {
            _filter.Update(new CenterBox(cx, cy, w, h));
        }

        Publish();
    }

    /// <summary>Forgets the motion: the next visible box starts a new track (a cut in the video, not a move).</summary>
    public void Reset() => _filter = new KalmanBoxFilter();

    private void Publish()
    {
        var box = _filter.PredictedBox;
        var velocity = _filter.Velocity;
        Estimate = new MotionEstimate((float)box.Cx, (float)box.Cy, (float)box.W, (float)box.H, (float)velocity.Vx, (float)velocity.Vy);
    }
}
