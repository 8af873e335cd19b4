using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace EdgeSam2.Cli;

/// <summary>The arguments of <c>edgesam2 prompt</c>, as typed.</summary>
internal sealed record PromptArguments(string[] Points, string? Box, int? ObjectId, string? Label, long? Frame, bool Normalized, bool Refine);

/// <summary>Builds command payloads (Messages/README.md, "Received by the agent"), each with a fresh request id.</summary>
internal static class RequestJson
{
    /// <summary>A payload and the request id in it.</summary>
    public sealed record Built(string RequestId, byte[] Payload);

    /// <exception cref="FormatException">A point or box is not a list of numbers.</exception>
    public static Built Prompt(PromptArguments a)
    {
        if (a.Points.Length == 0 && a.Box is null)
        {
            throw new FormatException("a prompt needs --point x,y[,label] or --box x1,y1,x2,y2");
        }

        var points = new List<double[]>();
        foreach (var point in a.Points)
        {
            var values = Numbers(point, "--point");
            if (values.Length is not (2 or 3))
            {
                throw new FormatException($"--point '{point}' must be x,y or x,y,label");
            }

            points.Add(values);
        }

        var box = a.Box is null ? null : Numbers(a.Box, "--box");
        if (box is { Length: not 4 })
        {
            throw new FormatException($"--box '{a.Box}' must be x1,y1,x2,y2");
        }

        return Build(w =>
        {
            if (a.ObjectId is { } id)
            {
                w.WriteNumber("object_id", id);
            }

            if (a.Label is { } label)
            {
                w.WriteString("label", label);
            }

            if (points.Count > 0)
            {
                w.WriteStartArray("points");
                foreach (var p in points)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(p[0]);
                    w.WriteNumberValue(p[1]);
                    w.WriteNumberValue(p.Length == 3 ? p[2] : 1);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
            }

            if (box is not null)
            {
                w.WriteStartArray("box");
                foreach (var v in box)
                {
                    w.WriteNumberValue(v);
                }

                w.WriteEndArray();
            }

            if (a.Frame is { } frame)
            {
                w.WriteNumber("frame", frame);
            }

            if (a.Normalized)
            {
                w.WriteBoolean("normalized", true);
            }

            if (a.Refine)
            {
                w.WriteBoolean("refine", true);
            }
        });
    }

    /// <exception cref="FormatException">Neither or both of --object-id and --all.</exception>
    public static Built Remove(int? objectId, bool all, long? frame)
    {
        if ((objectId is null) == !all)
        {
            throw new FormatException("remove needs --object-id N or --all (not both)");
        }

        return Build(w =>
        {
            if (all)
            {
                w.WriteString("object_id", "all");
            }
            else
            {
                w.WriteNumber("object_id", objectId!.Value);
            }

            if (frame is { } f)
            {
                w.WriteNumber("frame", f);
            }
        });
    }

    public static Built Reset() => Build(static _ => { });

    public static Built Set(bool enabled) => Build(w => w.WriteBoolean("enabled", enabled));

    private static Built Build(Action<Utf8JsonWriter> fields)
    {
        var requestId = "cli-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("request_id", requestId);
            fields(w);
            w.WriteEndObject();
        }

        return new Built(requestId, buffer.WrittenSpan.ToArray());
    }

    private static double[] Numbers(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new FormatException($"{option} '{text}': '{parts[i]}' is not a number");
            }
        }

        return values;
    }
}
