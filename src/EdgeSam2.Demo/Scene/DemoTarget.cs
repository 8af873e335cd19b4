namespace EdgeSam2.Demo.Scene;

/// <summary>A scene object the demo prompts: its ground-truth id (also the object id it asks the agent to use) and label.</summary>
internal sealed record DemoTarget(int Id, string Label);
