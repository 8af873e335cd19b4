using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeSam2.Agent.State;

/// <summary>What one camera keeps across a restart: the next object id, the objects alive and the frame it was written on.</summary>
/// <param name="NextObjectId">The id the next new object gets; ids below it are never handed out again.</param>
/// <param name="Objects">Objects alive when the file was written: announced <c>removed</c> after a restart.</param>
/// <param name="Frame">The camera's frame index when the file was written.</param>
internal sealed record PersistedCamera(
    [property: JsonPropertyName("next_object_id")] int NextObjectId,
    [property: JsonPropertyName("objects")] int[] Objects,
    [property: JsonPropertyName("frame")] long Frame);

/// <summary>
/// <c>{state}/cameras/{id}.json</c>, about 60 bytes plus a few per object. Written only when an object is created or
/// removed, never per frame, by atomic replace: a temporary file beside it, flushed to the disk, then renamed over the
/// old one, so a crash or power loss leaves either the old file or the new one, never half of one.
/// </summary>
internal sealed class CameraStateFile(string path)
{
    public string Path { get; } = path;

    public static CameraStateFile For(string directory, string cameraId) =>
        new(System.IO.Path.Combine(directory, "cameras", cameraId + ".json"));

    /// <summary>The saved state; null when there is none. A file that cannot be read or parsed is reported through <paramref name="problem"/>.</summary>
    public PersistedCamera? Read(out string? problem)
    {
        problem = null;
        try
        {
            var saved = JsonSerializer.Deserialize<PersistedCamera>(File.ReadAllBytes(Path));
            if (saved is { NextObjectId: > 0, Objects: not null })
            {
                return saved;
            }

            problem = "it holds no next_object_id";
        }
        catch (FileNotFoundException)
        {
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            problem = e.Message;
        }

        return null;
    }

    /// <summary>Replaces the file atomically; false (with the reason) when the disk refuses.</summary>
    public bool TryWrite(PersistedCamera state, out string? problem)
    {
        var temporary = Path + ".tmp";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(file, state);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return false;
        }
    }
}
