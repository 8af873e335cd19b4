namespace EdgeSam2.Scenes;

/// <summary>A moving target with ground truth. <paramref name="Size"/> is the disc radius or the square's half side.</summary>
public sealed record SceneObject(int Id, SceneShape Shape, Rgb Colour, double Size, Trajectory Trajectory);
