namespace EdgeSam2.Scenes;

/// <summary>A position or a velocity in frame pixels (x right, y down; pixel (x, y) is sampled at (x, y)).</summary>
public readonly record struct ScenePoint(double X, double Y);
