namespace EdgeSam2.Scenes;

/// <summary>
/// A static look-alike drawn under the targets: it exists so that a tracker keying on colour alone fails.
/// <paramref name="Size"/> is the disc radius or the square's half side.
/// </summary>
public sealed record Distractor(SceneShape Shape, Rgb Colour, double Size, ScenePoint Position);
