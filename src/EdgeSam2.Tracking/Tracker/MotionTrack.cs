namespace EdgeSam2.Tracking.Tracker;

/// <summary>
/// Placeholder motion track: last observed box and a finite-difference velocity. Replaced by the Kalman box
/// filter (Motion/) once it is wired in.
/// </summary>
internal sealed class MotionTrack
{
    private MotionEstimate _estimate;
    private DateTimeOffset _lastTime;
    private bool _seen;

    public MotionEstimate Estimate => _estimate;

    public void Observe(bool visible, float cx, float cy, float w, float h, DateTimeOffset time)
    {
        var dt = _seen ? (float)(time - _lastTime).TotalSeconds : 0f;
        if (!visible)
        {
            if (_seen && dt > 0)
            {
                _estimate = _estimate with { CenterX = _estimate.CenterX + (_estimate.VelocityX * dt), CenterY = _estimate.CenterY + (_estimate.VelocityY * dt) };
                _lastTime = time;
            }

            return;
        }

        var vx = _seen && dt > 0 ? (cx - _estimate.CenterX) / dt : 0f;
        var vy = _seen && dt > 0 ? (cy - _estimate.CenterY) / dt : 0f;
        _estimate = new MotionEstimate(cx, cy, w, h, vx, vy);
        _lastTime = time;
        _seen = true;
    }
}
