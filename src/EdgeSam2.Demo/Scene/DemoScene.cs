using System.Text.Json;
using EdgeSam2.Scenes;

namespace EdgeSam2.Demo.Scene;

/// <summary>
/// The demo's scene, <see cref="StandardScenes.TwoTargets"/>: a red disc and a blue square moving across a textured
/// background, and a static red disc that looks exactly like the first target. Also builds the prompts that seed them.
/// </summary>
internal sealed class DemoScene
{
    /// <summary>The frame the operator "clicks" on.</summary>
    public const int PromptFrame = 0;

    public DemoScene()
    {
        Spec = StandardScenes.TwoTargets();
        Renderer = new SceneRenderer(Spec);
        Targets =
        [
            new DemoTarget(StandardScenes.Two.DiscId, "red disc"),
            new DemoTarget(StandardScenes.Two.SquareId, "blue square"),
        ];
    }

    public SceneSpec Spec { get; }

    public SceneRenderer Renderer { get; }

    public IReadOnlyList<DemoTarget> Targets { get; }

    /// <summary>Frames per second as a whole number of frames, for "one line per second" progress.</summary>
    public int FramesPerSecondRounded => Math.Max(1, (int)Math.Round(Spec.FramesPerSecond));

    /// <summary>Renders the scene into a lossless video with a real ffmpeg.</summary>
    public Task WriteVideoAsync(string path, CancellationToken cancellationToken) => SceneVideo.WriteAsync(Spec, path, cancellationToken);

    /// <summary>The click an operator would make: one positive point at the target's centre on <see cref="PromptFrame"/>.</summary>
    public ScenePoint ClickFor(DemoTarget target) => Renderer.CentreOf(PromptFrame, target.Id);

    /// <summary>The prompt message (agent contract) for <paramref name="target"/>, naming the frame it was clicked on.</summary>
    public byte[] PromptJson(DemoTarget target, string requestId)
    {
        var click = ClickFor(target);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("request_id", requestId);
            json.WriteNumber("object_id", target.Id);
            json.WriteString("label", target.Label);
            json.WriteStartArray("points");
            json.WriteStartArray();
            json.WriteNumberValue(Math.Round(click.X, 1));
            json.WriteNumberValue(Math.Round(click.Y, 1));
            json.WriteNumberValue(1);
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteNumber("frame", PromptFrame);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The command that enables the camera.</summary>
    public static byte[] EnableJson(string requestId)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("request_id", requestId);
            json.WriteBoolean("enabled", true);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
