using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeSam2.Testing;
using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Integration.Tests.Parity;

/// <summary>
/// The SAM 2 micro reference (tests/fixtures/sam2-micro/README.md): the clip decoded by ffmpeg to exactly the RGB
/// pixels SAM 2 saw (checked against the fixture's SHA-256), and SAM 2's own per-frame results for a scenario.
/// </summary>
internal sealed class Sam2MicroFixture
{
    private Sam2MicroFixture(int width, int height, byte[][] frames)
    {
        (Width, Height, Frames) = (width, height, frames);
    }

    public int Width { get; }

    public int Height { get; }

    public byte[][] Frames { get; }

    public static string Dir => RepoPaths.Sam2Micro;

    public static Sam2MicroFixture Load()
    {
        using var clip = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "clip.json")));
        var root = clip.RootElement;
        var (width, height, count) = (root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32(), root.GetProperty("frames").GetInt32());
        var bytes = DecodeRgb24(Path.Combine(Dir, "clip.mkv"));
        Assert.Equal(root.GetProperty("rgb24_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var frameBytes = width * height * 3;
        var frames = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            frames[i] = bytes.AsSpan(i * frameBytes, frameBytes).ToArray();
        }

        return new Sam2MicroFixture(width, height, frames);
    }

    /// <summary>SAM 2's result for each frame and object of scenario <paramref name="name"/>.</summary>
    public static List<ExpectedObject> Expected(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "expected", name + ".json")));
        var list = new List<ExpectedObject>();
        foreach (var frame in doc.RootElement.GetProperty("per_frame").EnumerateArray())
        {
            foreach (var o in frame.GetProperty("objects").EnumerateArray())
            {
                if (!o.GetProperty("tracked").GetBoolean())
                {
                    continue;
                }

                list.Add(new ExpectedObject(
                    frame.GetProperty("frame").GetInt32(),
                    o.GetProperty("object_id").GetInt32(),
                    o.GetProperty("present").GetBoolean(),
                    (float)o.GetProperty("object_score_logit").GetDouble(),
                    o.GetProperty("mask").GetProperty("counts").GetString()!));
            }
        }

        return list;
    }

    /// <summary>
    /// The scenario's prompts in order: (frame, prompt). A prompt is one object's clicks on a frame, or its mask (COCO
    /// RLE at clip size, decoded here to frame pixels).
    /// </summary>
    public static List<(int Frame, ObjectPrompt Prompt)> Prompts(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "scenarios", name + ".json")));
        var list = new List<(int, ObjectPrompt)>();
        foreach (var p in doc.RootElement.GetProperty("prompts").EnumerateArray())
        {
            var (frame, id) = (p.GetProperty("frame").GetInt32(), p.GetProperty("object_id").GetInt32());
            if (p.TryGetProperty("mask", out var rle) && rle.ValueKind == JsonValueKind.Object)
            {
                var (h, w) = (rle.GetProperty("size")[0].GetInt32(), rle.GetProperty("size")[1].GetInt32());
                var counts = rle.GetProperty("counts").GetString()!;
                var decoded = CocoRle.Measure(counts, w, h, out _);
                Assert.True(decoded.Success, decoded.Error);
                list.Add((frame, new ObjectPrompt { ObjectId = id, Mask = new PromptMask(counts, w, h) }));
                continue;
            }

            var points = new List<PromptPoint>();
            foreach (var point in p.GetProperty("points").EnumerateArray())
            {
                points.Add(new PromptPoint(point[0].GetSingle(), point[1].GetSingle(), point[2].GetInt32() == 1));
            }

            list.Add((frame, new ObjectPrompt { ObjectId = id, Points = points }));
        }

        return list;
    }

    private static byte[] DecodeRgb24(string clip)
    {
        var start = new ProcessStartInfo("ffmpeg", ["-v", "error", "-i", clip, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var ffmpeg = Process.Start(start)!;
        using var output = new MemoryStream();
        var errors = ffmpeg.StandardError.ReadToEndAsync();
        ffmpeg.StandardOutput.BaseStream.CopyTo(output);
        ffmpeg.WaitForExit();
        Assert.True(ffmpeg.ExitCode == 0, errors.Result);
        return output.ToArray();
    }
}

/// <summary>SAM 2's output for one object on one frame.</summary>
internal sealed record ExpectedObject(int Frame, int ObjectId, bool Present, float ObjectScore, string MaskCounts);
