using EdgeSam2.Scenes;

namespace EdgeSam2.Demo.Render;

/// <summary>Overlay colours per object id, chosen to contrast with the scene's red and blue targets and its grey background.</summary>
internal static class ObjectPalette
{
    private static readonly Rgb[] Colours =
    [
        new(0, 230, 120),
        new(255, 200, 0),
        new(0, 220, 255),
        new(255, 0, 200),
        new(255, 255, 255),
    ];

    /// <summary>The colour of object <paramref name="objectId"/> (ids cycle through the palette).</summary>
    public static Rgb For(int objectId) => Colours[(int)((uint)(objectId - 1) % (uint)Colours.Length)];
}
