namespace EdgeSam2.Scenes;

/// <summary>A key position of a trajectory: the object's centre at <paramref name="Frame"/>.</summary>
public readonly record struct Waypoint(int Frame, double X, double Y);
