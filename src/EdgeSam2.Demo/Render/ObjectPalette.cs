using EdgeSam2.Scenes;

namespace EdgeSam2.Demo.Render;

/// <summary>Overlay colours per object id, chosen to stand out from the scenes' red and blue targets and their green-brown background.</summary>
internal static class ObjectPalette
{
    private static readonly Rgb[] Colours =
    [
        new(255, 0, 255),
        new(255, 235, 0),
        new(0, 255, 255),
        new(255, 255, 255),
        new(255, 128, 0),
    ];

    /// <summary>The colour of object <paramref name="objectId"/> (ids cycle through the palette).</summary>
    public static Rgb For(int objectId) => Colours[(int)((uint)(objectId - 1) % (uint)Colours.Length)];
}
