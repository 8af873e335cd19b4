using System.Diagnostics;

namespace EdgeSam2.Demo.Render;

/// <summary>How the annotated video is encoded: H.264 in MP4 when this ffmpeg has libx264, else MPEG-4 part 2 in Matroska.</summary>
internal sealed record VideoFormat(string Extension, IReadOnlyList<string> OutputArguments, string Description)
{
    public static readonly VideoFormat H264 = new(".mp4", ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "20", "-movflags", "+faststart"], "H.264 (libx264)");

    public static readonly VideoFormat Mpeg4 = new(".mkv", ["-c:v", "mpeg4", "-q:v", "3"], "MPEG-4 part 2 (no libx264 in this ffmpeg)");

    /// <summary>Asks the ffmpeg on PATH which encoders it has.</summary>
    public static async Task<VideoFormat> DetectAsync(CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("ffmpeg")
        {
            ArgumentList = { "-hide_banner", "-encoders" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not start ffmpeg.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var encoders = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await stderr.ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return HasEncoder(encoders, "libx264") ? H264 : Mpeg4;
    }

    /// <summary>True when <c>ffmpeg -encoders</c> output lists <paramref name="name"/> as an encoder (the second column).</summary>
    public static bool HasEncoder(string encodersListing, string name)
    {
        foreach (var line in encodersListing.AsSpan().EnumerateLines())
        {
            var fields = line.Trim();
            var space = fields.IndexOf(' ');
            if (space < 0)
            {
                continue;
            }

            var rest = fields[(space + 1)..].TrimStart();
            var end = rest.IndexOf(' ');
            if ((end < 0 ? rest : rest[..end]).SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }
}
