using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.State;
using EdgeSam2.Mqtt;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Cameras;

/// <summary>
/// Targets across a restart: object ids are never reused (the next id is persisted), and objects alive before a crash
/// are announced <c>removed</c> on start, since their memory bank died with the process and they cannot be re-tracked.
/// </summary>
internal sealed partial class CameraPipeline
{
    private CameraStateFile? _stateFile;

    /// <summary>Reads the camera's state file before the tracker exists: the options it starts with, and the removed events it owes.</summary>
    private TrackerOptions RestoreState(TrackerOptions tracker)
    {
        if (_options.State.Resolve() is not { } directory)
        {
            return tracker;
        }

        _stateFile = CameraStateFile.For(directory, Id);
        var saved = _stateFile.Read(out var problem);
        if (problem is not null)
        {
            State.Log.Unreadable(_logger, Id, _stateFile.Path, problem);
        }

        if (saved is not null)
        {
            tracker.FirstObjectId = saved.NextObjectId;
            var now = _time.GetUtcNow();
            foreach (var id in saved.Objects)
            {
                var removed = new TrackEvent(TrackEventKind.Removed, id, saved.Frame, now);
                _control.Writer.TryWrite(new MqttMessage(_topics.Events, EventMessage.ToJson(Id, removed), MqttQos.AtLeastOnce));
            }

            State.Log.Restored(_logger, Id, _stateFile.Path, saved.NextObjectId, saved.Objects.Length);
        }

        Persist(tracker.FirstObjectId, [], saved?.Frame ?? 0);
        return tracker;
    }

    /// <summary>Frame loop, after the tracker (a live frame, or a frame a late prompt carried forward): logs and publishes the frame's events, then persists the objects.</summary>
    private void PublishEvents(Sam2Tracker tracker, TrackedFrame tracked)
    {
        foreach (var e in tracked.Events)
        {
            Log.TrackEvent(_logger, Id, EventMessage.Name(e.Kind), e.ObjectId, e.FrameIndex);
            _control.Writer.TryWrite(new MqttMessage(_topics.Events, EventMessage.ToJson(Id, e), MqttQos.AtLeastOnce));
        }

        PersistObjects(tracker, tracked);
    }

    /// <summary>Frame loop, after the tracker: rewrites the file when an object was created or removed (no work otherwise).</summary>
    private void PersistObjects(Sam2Tracker tracker, TrackedFrame tracked)
    {
        if (_stateFile is null)
        {
            return;
        }

        foreach (var e in tracked.Events)
        {
            if (e.Kind is TrackEventKind.Created or TrackEventKind.Removed)
            {
                Persist(tracker.NextObjectId, [.. tracker.ObjectIds], tracked.FrameIndex);
                return;
            }
        }
    }

    private void Persist(int nextId, int[] objects, long frame)
    {
        if (!_stateFile!.TryWrite(new PersistedCamera(nextId, objects, frame), out var problem))
        {
            State.Log.WriteFailed(_logger, Id, _stateFile.Path, problem!);
        }
    }
}
