namespace EdgeSam2.Tracking.Motion;

/// <summary>
/// Constant-velocity Kalman filter on a box (cx, cy, w, h) and its four velocities, with white-noise
/// acceleration as process noise. Predict and update allocate nothing.
/// </summary>
/// <remarks>
/// The transition moves each coordinate by its own velocity only, the measurement sees each coordinate
/// directly, and both noises are diagonal across coordinates; so the 8×8 covariance stays block-diagonal and
/// the filter is exactly four independent (position, velocity) filters of 2×2 covariance each.
/// </remarks>
public sealed class KalmanBoxFilter
{
    private readonly KalmanBoxFilterOptions _options;
    private Axis _cx, _cy, _w, _h;

    public KalmanBoxFilter(KalmanBoxFilterOptions? options = null)
    {
        _options = options ?? new KalmanBoxFilterOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.CenterAccelerationStd);
        ArgumentOutOfRangeException.ThrowIfNegative(_options.SizeAccelerationStd);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.CenterMeasurementStd);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.SizeMeasurementStd);
        ArgumentOutOfRangeException.ThrowIfNegative(_options.InitialVelocityStd);
    }

    /// <summary>True once the first measurement has been given.</summary>
    public bool IsInitialized { get; private set; }

    /// <summary>Predictions since the last measurement (0 right after <see cref="Update"/>).</summary>
    public int PredictionsSinceUpdate { get; private set; }

    /// <summary>The current estimate: the prediction after <see cref="Predict"/>, the corrected box after <see cref="Update"/>.</summary>
    public CenterBox PredictedBox => new(_cx.Position, _cy.Position, Math.Max(0, _w.Position), Math.Max(0, _h.Position));

    /// <summary>The estimated velocities.</summary>
    public BoxVelocity Velocity => new(_cx.Velocity, _cy.Velocity, _w.Velocity, _h.Velocity);

    /// <summary>Standard deviation of each coordinate of <see cref="PredictedBox"/>.</summary>
    public CenterBox Uncertainty => new(Math.Sqrt(_cx.P00), Math.Sqrt(_cy.P00), Math.Sqrt(_w.P00), Math.Sqrt(_h.P00));

    /// <summary>Starts over from <paramref name="box"/> with zero velocity.</summary>
    public void Initialize(CenterBox box)
    {
        var v = _options.InitialVelocityStd * _options.InitialVelocityStd;
        _cx = Axis.Start(box.Cx, Sq(_options.CenterMeasurementStd), v);
        _cy = Axis.Start(box.Cy, Sq(_options.CenterMeasurementStd), v);
        _w = Axis.Start(box.W, Sq(_options.SizeMeasurementStd), v);
        _h = Axis.Start(box.H, Sq(_options.SizeMeasurementStd), v);
        IsInitialized = true;
        PredictionsSinceUpdate = 0;
    }

    /// <summary>Advances the estimate by <paramref name="dt"/> time units without a measurement.</summary>
    public void Predict(double dt)
    {
        if (!IsInitialized)
        {
            throw new InvalidOperationException("Predict needs a first measurement (Update or Initialize).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(dt);
        double qc = Sq(_options.CenterAccelerationStd), qs = Sq(_options.SizeAccelerationStd);
        _cx.Predict(dt, qc);
        _cy.Predict(dt, qc);
        _w.Predict(dt, qs);
        _h.Predict(dt, qs);
        PredictionsSinceUpdate++;
    }

    /// <summary>
    /// Stops the size's drift: both size velocities to 0, so predictions keep the current width and height. For an
    /// object that is not seen: its box shrank as an occluder cut it, which says nothing of how its size goes on.
    /// </summary>
    public void HoldSize()
    {
        _w.Velocity = 0;
        _h.Velocity = 0;
    }

    /// <summary>Corrects the estimate with a measured box; the first call initialises the filter.</summary>
    public void Update(CenterBox measurement)
    {
        if (!IsInitialized)
        {
            Initialize(measurement);
            return;
        }

        double rc = Sq(_options.CenterMeasurementStd), rs = Sq(_options.SizeMeasurementStd);
        _cx.Update(measurement.Cx, rc);
        _cy.Update(measurement.Cy, rc);
        _w.Update(measurement.W, rs);
        _h.Update(measurement.H, rs);
        PredictionsSinceUpdate = 0;
    }

    /// <summary>
    /// Squared Mahalanobis distance of a measured box from the estimate (χ² with 4 degrees of freedom when
    /// the model holds: above ~9.5 is outside the 95 % gate). Use it to reject implausible jumps.
    /// </summary>
    public double SquaredMahalanobis(CenterBox measurement)
    {
        if (!IsInitialized)
        {
            return 0;
        }

        double rc = Sq(_options.CenterMeasurementStd), rs = Sq(_options.SizeMeasurementStd);
        return _cx.Innovation(measurement.Cx, rc) + _cy.Innovation(measurement.Cy, rc)
            + _w.Innovation(measurement.W, rs) + _h.Innovation(measurement.H, rs);
    }

    private static double Sq(double x) => x * x;

    /// <summary>One coordinate: position, velocity and their symmetric 2×2 covariance [[P00, P01], [P01, P11]].</summary>
    private struct Axis
    {
        public double Position, Velocity, P00, P01, P11;

        public static Axis Start(double position, double positionVariance, double velocityVariance) =>
            new() { Position = position, P00 = positionVariance, P11 = velocityVariance };

        public void Predict(double dt, double q)
        {
            Position += Velocity * dt;

            // P = F P Fᵀ + Q with F = [[1, dt], [0, 1]] and Q = q·[[dt³/3, dt²/2], [dt²/2, dt]].
            double dt2 = dt * dt, dt3 = dt2 * dt;
            P00 += (2 * dt * P01) + (dt2 * P11) + (q * dt3 / 3);
            P01 += (dt * P11) + (q * dt2 / 2);
            P11 += q * dt;
        }

        public void Update(double measured, double r)
        {
            var s = P00 + r;
            double k0 = P00 / s, k1 = P01 / s;
            var innovation = measured - Position;
            Position += k0 * innovation;
            Velocity += k1 * innovation;

            // P = (I − K H) P, written out for H = [1, 0].
            double p00 = P00, p01 = P01;
            P00 = (1 - k0) * p00;
            P01 = (1 - k0) * p01;
            P11 -= k1 * p01;
        }

        public readonly double Innovation(double measured, double r)
        {
            var d = measured - Position;
            return d * d / (P00 + r);
        }
    }
}
