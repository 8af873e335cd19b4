using System.Diagnostics;

namespace EdgeSam2.Video.Tests;

/// <summary>
/// Videos made with ffmpeg's lavfi sources in a temp folder: lossless (FFV1 in Matroska, RGB) ones with content the
/// tests can predict exactly (frame N of a gradient is <see cref="GradientColour"/>(N) everywhere), a raw H.264 stream
/// cut into access units, and FIFOs to feed a decoder by hand.
/// </summary>
public sealed class TestVideos : IDisposable
{
    public const int Width = 64;
    public const int Height = 48;

    private readonly string _folder = Directory.CreateTempSubdirectory("edgesam2-video-").FullName;
    private readonly Dictionary<string, string> _made = [];
    private readonly Lock _gate = new();

    /// <summary>A path in the temp folder that does not exist.</summary>
    public string MissingFile => Path.Combine(_folder, "missing.mkv");

    public string Folder => _folder;

    /// <summary>The colour every pixel of gradient frame <paramref name="frame"/> has.</summary>
    public static (byte R, byte G, byte B) GradientColour(long frame) =>
        ((byte)(frame * 8 % 256), (byte)((((255 - (frame * 8)) % 256) + 256) % 256), (byte)(((frame * 3) + 7) % 256));

    /// <summary>A <paramref name="frames"/>-frame gradient at <paramref name="fps"/>.</summary>
    public string Gradient(int frames, int fps) =>
        Make(
            $"gradient-{frames}-{fps}.mkv",
            $"color=black:s={Width}x{Height}:r={fps},format=gbrp,geq=r='mod(N*8,256)':g='mod(255-N*8,256)':b='mod(N*3+7,256)'",
            frames);

    /// <summary>Left half pure red, right half pure blue.</summary>
    public string Split(int frames) =>
        Make(
            $"split-{frames}.mkv",
            $"color=black:s={Width}x{Height}:r=25,format=gbrp,geq=r='if(lt(X,{Width / 2}),255,0)':g='0':b='if(lt(X,{Width / 2}),0,255)'",
            frames);

    /// <summary>
    /// <paramref name="frames"/> frames of raw H.264 (Annex B) at 25 fps, one access unit a frame, each opened by an
    /// access unit delimiter (x264's <c>aud=1</c>) and none reordered (no B-frames), so a test can cut it frame by frame.
    /// </summary>
    public string H264WithAccessUnitDelimiters(int frames) =>
        Make(
            $"aud-{frames}.h264",
            $"testsrc2=s={Width}x{Height}:r=25",
            frames,
            ["-c:v", "libx264", "-x264-params", "aud=1:bframes=0:keyint=250", "-pix_fmt", "yuv420p", "-f", "h264"]);

    /// <summary>
    /// 250 frames of H.264 (320×240, one key frame) with 3,000 bytes overwritten at random past the parameter sets: it
    /// decodes, with errors all along.
    /// </summary>
    public async Task<string> CorruptH264Async()
    {
        var path = Path.Combine(_folder, "corrupt.h264");
        var clean = Make("corrupt-source.h264", "testsrc=s=320x240:r=25", 250, ["-c:v", "libx264", "-g", "250", "-f", "h264"]);
        var bytes = await File.ReadAllBytesAsync(clean);
        var random = new Random(1);
        for (var i = 0; i < 3000; i++)
        {
            bytes[random.Next(2000, bytes.Length)] = (byte)random.Next(256);
        }

        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    /// <summary>A new FIFO in the temp folder, its name starting with <paramref name="stem"/>.</summary>
    public string Fifo(string stem)
    {
        var path = Path.Combine(_folder, $"{stem}-{Guid.NewGuid():N}.fifo");
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Make(string name, string lavfi, int frames, string[]? encode = null)
    {
        lock (_gate)
        {
            if (_made.TryGetValue(name, out var existing))
            {
                return existing;
            }

            var path = Path.Combine(_folder, name);
            var startInfo = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
            string[] head = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", lavfi, "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            foreach (var argument in (string[])[.. head, .. encode ?? ["-c:v", "ffv1", "-pix_fmt", "bgr0"], path])
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var process = Process.Start(startInfo)!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"ffmpeg could not make {name}: {errors}");
            }

            _made[name] = path;
            return path;
        }
    }
}
