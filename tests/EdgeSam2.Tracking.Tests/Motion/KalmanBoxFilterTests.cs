using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Motion;

namespace EdgeSam2.Tracking.Tests.Motion;

public sealed class KalmanBoxFilterTests
{
    private const double Dt = 0.1;

    private static CenterBox TrueBox(int step) => new(100 + (30 * step * Dt), 200 - (10 * step * Dt), 40 + (5 * step * Dt), 30);

    [Fact]
    public void Update_First_InitialisesAtMeasurementWithZeroVelocity()
    {
        var filter = new KalmanBoxFilter();
        var box = new CenterBox(10, 20, 30, 40);

        filter.Update(box);

        Assert.True(filter.IsInitialized);
        Assert.Equal(box, filter.PredictedBox);
        Assert.Equal(default, filter.Velocity);
    }

    [Fact]
    public void Predict_BeforeFirstMeasurement_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new KalmanBoxFilter().Predict(Dt));

    [Fact]
    public void Update_NoisyConstantVelocity_ConvergesToTrueVelocity()
    {
        var filter = new KalmanBoxFilter();
        var random = new Random(4);
        for (var step = 0; step < 80; step++)
        {
            if (step > 0)
            {
                filter.Predict(Dt);
            }

            var t = TrueBox(step);
            filter.Update(t with { Cx = t.Cx + Noise(random), Cy = t.Cy + Noise(random), W = t.W + Noise(random) });
        }

        var v = filter.Velocity;
        Assert.InRange(v.Vx, 28, 32);
        Assert.InRange(v.Vy, -12, -8);
        Assert.InRange(v.Vw, 3, 7);
        Assert.InRange(v.Vh, -2, 2);
        Assert.InRange(filter.PredictedBox.Cx, TrueBox(79).Cx - 1.5, TrueBox(79).Cx + 1.5);
    }

    [Fact]
    public void Predict_MissingMeasurements_FollowsMotionAndGrowsUncertainty()
    {
        var filter = new KalmanBoxFilter();
        for (var step = 0; step < 30; step++)
        {
            if (step > 0)
            {
                filter.Predict(Dt);
            }

            filter.Update(TrueBox(step));
        }

        var previousStd = filter.Uncertainty.Cx;
        for (var step = 30; step < 45; step++)
        {
            filter.Predict(Dt);
            Assert.True(filter.Uncertainty.Cx > previousStd, $"uncertainty did not grow at step {step}");
            previousStd = filter.Uncertainty.Cx;
        }

        Assert.Equal(15, filter.PredictionsSinceUpdate);
        var predicted = filter.PredictedBox;
        var truth = TrueBox(44);
        Assert.InRange(predicted.Cx, truth.Cx - 1, truth.Cx + 1);
        Assert.InRange(predicted.Cy, truth.Cy - 1, truth.Cy + 1);
        Assert.InRange(predicted.W, truth.W - 1, truth.W + 1);

        filter.Update(truth);
        Assert.Equal(0, filter.PredictionsSinceUpdate);
    }

    [Fact]
    public void SquaredMahalanobis_JumpVersusOnTrack_SeparatesClearly()
    {
        var filter = new KalmanBoxFilter();
        for (var step = 0; step < 20; step++)
        {
            if (step > 0)
            {
                filter.Predict(Dt);
            }

            filter.Update(TrueBox(step));
        }

        filter.Predict(Dt);
        Assert.True(filter.SquaredMahalanobis(TrueBox(20)) < 1);
        Assert.True(filter.SquaredMahalanobis(TrueBox(20) with { Cx = TrueBox(20).Cx + 150 }) > 100);
    }

    [Fact]
    public void PredictAndUpdate_SteadyState_AllocateNothing()
    {
        var filter = new KalmanBoxFilter();
        filter.Update(TrueBox(0));
        filter.Predict(Dt);
        filter.Update(TrueBox(1));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 2; step < 1002; step++)
        {
            filter.Predict(Dt);
            filter.Update(TrueBox(step));
            _ = filter.PredictedBox;
            _ = filter.Velocity;
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void CenterBox_FromPixelBox_RoundTrips()
    {
        var box = new PixelBox(10, 20, 50, 41);
        var centre = CenterBox.FromPixelBox(box);

        Assert.Equal(new CenterBox(30, 30.5, 40, 21), centre);
        Assert.Equal(box, centre.ToPixelBox());
    }

    private static double Noise(Random random) => (random.NextDouble() * 2) - 1;
}
