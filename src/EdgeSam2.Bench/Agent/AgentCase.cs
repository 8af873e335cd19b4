using EdgeSam2.Bench.Scenes;

namespace EdgeSam2.Bench.Agent;

/// <summary>One run of the real agent: its cameras (all showing <see cref="Scene"/>), and how long it lasts.</summary>
/// <param name="Name">A short file-name-safe name (the run's config and log are named after it).</param>
/// <param name="Scene">The scene every camera shows; every object in it is seeded on every camera.</param>
/// <param name="Cameras">The cameras.</param>
/// <param name="Duration">Looping Live runs: the measurement window; otherwise null: the run ends with the scene's last frame.</param>
/// <param name="KeepMessages">Keep whole tracks messages, to score them against the ground truth.</param>
/// <param name="Feed">The bench's own camera the (single) camera reads, when the run measures latency from the moment each frame was sent.</param>
internal sealed record AgentCase(string Name, GridScene Scene, IReadOnlyList<BenchCamera> Cameras, TimeSpan? Duration, bool KeepMessages, CameraFeed? Feed = null);
