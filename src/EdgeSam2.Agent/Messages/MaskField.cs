using System.Text.Json;
using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Messages;

/// <summary>
/// A prompt's <c>mask</c>: COCO compressed RLE, <c>{"size": [height, width], "counts": "…"}</c>, as the agent publishes
/// masks. Checked here (without decoding it to pixels), so a bad mask is refused with the problem named before it reaches
/// a camera; whether its size is the camera's is checked when it is applied to a frame.
/// </summary>
internal static class MaskField
{
    /// <summary>The largest mask accepted: 8K UHD (7680×4320), so a size field alone cannot make a tracker's decode buffer larger.</summary>
    public const long MaxPixels = 7680L * 4320;

    private const int MaxSide = 8192;

    public static CommandError? Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Action<PromptMask> accept)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Error($"mask must be a COCO RLE object {{\"size\": [height, width], \"counts\": \"...\"}}, got {CommandParser.Show(ref reader, json)}");
        }

        int? height = null, width = null;
        string? counts = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("size"u8))
            {
                reader.Read();
                if (ReadSize(ref reader, json, out height, out width) is { } sizeError)
                {
                    return sizeError;
                }
            }
            else if (reader.ValueTextEquals("counts"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return Error(reader.TokenType == JsonTokenType.StartArray
                        ? "mask.counts must be the compressed RLE string (as pycocotools' encode gives); a list of run lengths is not accepted"
                        : $"mask.counts must be a compressed RLE string, got {CommandParser.Show(ref reader, json)}");
                }

                counts = reader.GetString();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (height is not int h || width is not int w)
        {
            return Error("mask needs size: [height, width]");
        }

        if (counts is null)
        {
            return Error("mask needs counts: the compressed RLE string");
        }

        if ((long)h * w > MaxPixels)
        {
            return Error($"mask.size [{h}, {w}] has {(long)h * w} pixels; at most {MaxPixels} (7680×4320) are accepted");
        }

        // Validated on the counts alone: the prompt keeps the string (bounded by the payload limit) and its pixels are
        // decoded into the tracker's reusable buffer when it is applied, so prompts waiting for a frame cost no pixels.
        var measured = CocoRle.Measure(counts, w, h, out var foreground);
        if (!measured.Success)
        {
            return Error($"mask.counts is not a valid COCO RLE of a {w}×{h} mask: {measured.Error}");
        }

        if (foreground == 0)
        {
            return Error("the mask is empty: it sets no pixel");
        }

        accept(new PromptMask(counts, w, h));
        return null;
    }

    private static CommandError? ReadSize(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out int? height, out int? width)
    {
        (height, width) = (null, null);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Error($"mask.size must be [height, width], got {CommandParser.Show(ref reader, json)}");
        }

        Span<int> v = stackalloc int[2];
        var n = 0;
        var valid = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (n < 2)
            {
                valid &= reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out v[n]) && v[n] is > 0 and <= MaxSide;
            }

            n++;
            reader.Skip();
        }

        if (n != 2 || !valid)
        {
            return Error($"mask.size must be [height, width], two integers from 1 to {MaxSide}");
        }

        (height, width) = (v[0], v[1]);
        return null;
    }

    private static CommandError Error(string message) => new("mask", message);
}
