namespace EdgeSam2.Scenes;

/// <summary>
/// Where an object's centre is at each frame: <see cref="Start"/> + <see cref="Velocity"/>·t, or, when
/// <see cref="Waypoints"/> is non-empty, linear interpolation between waypoints (held at the first before it
/// and at the last after it).
/// </summary>
public sealed record Trajectory(ScenePoint Start, ScenePoint Velocity)
{
    /// <summary>Key positions sorted by strictly increasing frame; empty for constant-velocity motion.</summary>
    public IReadOnlyList<Waypoint> Waypoints { get; init; } = [];

    /// <summary>A trajectory that follows <paramref name="waypoints"/>.</summary>
    public static Trajectory Through(params Waypoint[] waypoints)
    {
        ArgumentOutOfRangeException.ThrowIfZero(waypoints.Length);
        return new Trajectory(new ScenePoint(waypoints[0].X, waypoints[0].Y), default) { Waypoints = waypoints };
    }

    /// <summary>A trajectory that never moves.</summary>
    public static Trajectory Static(double x, double y) => new(new ScenePoint(x, y), default);

    /// <summary>The centre at <paramref name="frame"/>.</summary>
    public ScenePoint PositionAt(int frame)
    {
        var points = Waypoints;
        if (points.Count == 0)
        {
            return new ScenePoint(Start.X + (Velocity.X * frame), Start.Y + (Velocity.Y * frame));
        }

        if (frame <= points[0].Frame)
        {
            return new ScenePoint(points[0].X, points[0].Y);
        }

        for (var i = 1; i < points.Count; i++)
        {
            var b = points[i];
            if (frame <= b.Frame)
            {
                var a = points[i - 1];
                var f = (double)(frame - a.Frame) / (b.Frame - a.Frame);
                return new ScenePoint(a.X + ((b.X - a.X) * f), a.Y + ((b.Y - a.Y) * f));
            }
        }

        var last = points[^1];
        return new ScenePoint(last.X, last.Y);
    }

    internal void Validate(int objectId)
    {
        for (var i = 1; i < Waypoints.Count; i++)
        {
            if (Waypoints[i].Frame <= Waypoints[i - 1].Frame)
            {
                throw new ArgumentException($"Object {objectId}: waypoint frames must increase strictly.");
            }
        }
    }
}
