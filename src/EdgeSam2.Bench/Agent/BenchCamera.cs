using EdgeSam2.Video;

namespace EdgeSam2.Bench.Agent;

/// <summary>One camera of a bench run: its id, its scene file and how the agent reads it.</summary>
/// <param name="Id">The <c>{cam}</c> topic level.</param>
/// <param name="Url">Absolute path of the scene video, or the URL of a <see cref="CameraFeed"/>.</param>
/// <param name="Live">Live (paced at the file's rate, newest frame wins) rather than Deterministic (every frame, flat out).</param>
/// <param name="Loop">Live only: play the file in a loop (the memory run).</param>
/// <param name="InputFormat">The camera's <c>InputFormat</c> (<c>h264</c> for a raw <see cref="CameraFeed"/>); empty: probed.</param>
/// <param name="Decoder">The camera's <c>Decoder</c>; null: the agent's default (Auto).</param>
/// <param name="ReadsWith">The decoder that reads it once Auto has chosen: ffmpeg for the scene files and a raw feed, GStreamer for an RTSP feed.</param>
internal sealed record BenchCamera(string Id, string Url, bool Live, bool Loop = false, string InputFormat = "", VideoDecoder? Decoder = null, VideoDecoder ReadsWith = VideoDecoder.Ffmpeg);
