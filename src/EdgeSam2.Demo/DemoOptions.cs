using System.Globalization;

namespace EdgeSam2.Demo;

/// <summary>Command-line options of the demo. Relative paths are resolved against the repository root.</summary>
internal sealed class DemoOptions
{
    /// <summary>Where the scene, configs, logs and pictures go. Default <c>artifacts/demo</c>.</summary>
    public string OutputDirectory { get; set; } = "artifacts/demo";

    /// <summary>The built agent. Default <c>src/EdgeSam2.Agent/bin/Release/net10.0/EdgeSam2.Agent.dll</c>.</summary>
    public string AgentAssembly { get; set; } = "src/EdgeSam2.Agent/bin/Release/net10.0/EdgeSam2.Agent.dll";

    /// <summary>The model manifest given to the agent. Default <c>models/test/manifest.json</c> (the small SAM 2-contract test models).</summary>
    public string ModelManifest { get; set; } = "models/test/manifest.json";

    /// <summary>A system ONNX Runtime library for the agent (Model:OrtLibrary). Default empty: the one in the agent's NuGet package.</summary>
    public string OrtLibrary { get; set; } = "";

    /// <summary>How long the agent may take to come online. Default 60 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the agent may take from enabling the camera to the last frame's tracks. Default 180 s.</summary>
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>Mean IoU against ground truth the demo needs to succeed. Default 0.9.</summary>
    public double MinMeanIoU { get; set; } = 0.9;

    /// <summary>Frames in the image strip. Default 8.</summary>
    public int StripFrames { get; set; } = 8;

    public const string Usage = """
        usage: EdgeSam2.Demo [--out DIR] [--agent EdgeSam2.Agent.dll] [--model manifest.json] [--ort SYSTEM-libonnxruntime.so]
                             [--start-timeout SECONDS] [--timeout SECONDS] [--min-iou 0.9] [--strip-frames 8]
        Renders a sample scene, starts mosquitto and the agent on it, seeds two objects over MQTT, prints what the
        agent publishes, draws it, and scores it against the scene's ground truth. Relative paths are taken from
        the repository root.
        """;

    /// <summary>Parses <paramref name="args"/>; returns null and an error (or the usage for --help) when they are not usable.</summary>
    public static DemoOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new DemoOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                error = Usage;
                return null;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value.\n{Usage}";
                return null;
            }

            var value = args[++i];
            var ok = name switch
            {
                "--out" => Set(() => options.OutputDirectory = value),
                "--agent" => Set(() => options.AgentAssembly = value),
                "--model" => Set(() => options.ModelManifest = value),
                "--ort" => Set(() => options.OrtLibrary = value),
                "--start-timeout" => TrySeconds(value, t => options.StartTimeout = t),
                "--timeout" => TrySeconds(value, t => options.RunTimeout = t),
                "--min-iou" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var iou) && iou is >= 0 and <= 1
                    && Set(() => options.MinMeanIoU = iou),
                "--strip-frames" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64
                    && Set(() => options.StripFrames = n),
                _ => (bool?)null,
            };
            if (ok is null)
            {
                error = $"Unknown option {name}.\n{Usage}";
                return null;
            }

            if (ok is false)
            {
                error = $"{name}: '{value}' is not a valid value.\n{Usage}";
                return null;
            }
        }

        error = null;
        return options;
    }

    private static bool Set(Action assign)
    {
        assign();
        return true;
    }

    private static bool TrySeconds(string value, Action<TimeSpan> assign)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > 3600)
        {
            return false;
        }

        assign(TimeSpan.FromSeconds(seconds));
        return true;
    }
}
