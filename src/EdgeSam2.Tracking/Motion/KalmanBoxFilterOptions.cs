namespace EdgeSam2.Tracking.Motion;

/// <summary>
/// Noise model of <see cref="KalmanBoxFilter"/>. Time is in whatever unit the caller passes to
/// <see cref="KalmanBoxFilter.Predict"/> (the agent uses seconds); the defaults suit seconds and objects that
/// move up to a few hundred pixels per second.
/// </summary>
public sealed class KalmanBoxFilterOptions
{
    /// <summary>
    /// Standard deviation of the random acceleration of the centre, px/time². Larger follows turns faster and
    /// smooths less. Default 50.
    /// </summary>
    public double CenterAccelerationStd { get; set; } = 50;

    /// <summary>Standard deviation of the random rate-of-change of width and height, px/time². Default 20.</summary>
    public double SizeAccelerationStd { get; set; } = 20;

    /// <summary>Standard deviation of a measured centre coordinate, px. Default 2.</summary>
    public double CenterMeasurementStd { get; set; } = 2;

    /// <summary>Standard deviation of a measured width or height, px. Default 4.</summary>
    public double SizeMeasurementStd { get; set; } = 4;

    /// <summary>Prior standard deviation of every velocity at the first measurement, px/time. Default 200.</summary>
    public double InitialVelocityStd { get; set; } = 200;
}
