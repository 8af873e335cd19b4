namespace EdgeSam2.Scenes;

/// <summary>The shapes a scene can draw; both have hard pixel edges so ground truth is exact.</summary>
public enum SceneShape
{
    /// <summary>Pixel (x, y) is inside when (x − cx)² + (y − cy)² ≤ r²; size is the radius.</summary>
    Disc,

    /// <summary>Pixel (x, y) is inside when cx − h ≤ x &lt; cx + h and cy − h ≤ y &lt; cy + h; size is the half side h.</summary>
    Square,
}
