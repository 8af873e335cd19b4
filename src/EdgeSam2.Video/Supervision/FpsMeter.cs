namespace EdgeSam2.Video;

/// <summary>Frame rate as an exponential moving average of inter-frame intervals (about the last 16 frames).</summary>
internal sealed class FpsMeter
{
    private const double Smoothing = 1.0 / 16;
    private long _lastTimestamp;
    private double _meanIntervalSeconds;

    /// <summary>Frames per second; 0 until two frames have been seen.</summary>
    public double Fps => _meanIntervalSeconds > 0 ? 1 / _meanIntervalSeconds : 0;

    /// <summary>Records a frame seen at <paramref name="timestamp"/> (a <see cref="TimeProvider"/> timestamp).</summary>
    public void Record(long timestamp, TimeProvider time)
    {
        if (_lastTimestamp != 0)
        {
            var interval = time.GetElapsedTime(_lastTimestamp, timestamp).TotalSeconds;
            _meanIntervalSeconds = _meanIntervalSeconds == 0 ? interval : _meanIntervalSeconds + (Smoothing * (interval - _meanIntervalSeconds));
        }

        _lastTimestamp = timestamp;
    }

    /// <summary>Forgets the last frame time: a restarted decoder's first frame is not an interval.</summary>
    public void Break() => _lastTimestamp = 0;
}
