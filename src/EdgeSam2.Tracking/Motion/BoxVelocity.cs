namespace EdgeSam2.Tracking.Motion;

/// <summary>Rates of change of a <see cref="CenterBox"/>, in pixels per unit of the filter's time step.</summary>
public readonly record struct BoxVelocity(double Vx, double Vy, double Vw, double Vh);
