using EdgeSam2.Agent.Messages;
using EdgeSam2.Mqtt;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Cameras;

/// <summary>
/// The camera's side of its video source: the options each session's source gets, what the source's state changes
/// mean for the status message (state, reason, connection quality), and the <c>looped</c> event of a looping file.
/// </summary>
internal sealed partial class CameraPipeline
{
    // Restarts and stalls of every session: a pause replaces the source, not the camera's history.
    private readonly SupervisionHistory _history;

    // A Deterministic camera's capture clock: fixed at its first session, so a pause does not shift it.
    private DateTimeOffset? _captureAnchor;
    private volatile string? _reason;
    private long _lastLoop;

    private IVideoSource CreateSource(int inputSize)
    {
        var options = _camera.ToSourceOptions(inputSize, inputSize);
        if (_deterministic)
        {
            options.CaptureAnchor = _captureAnchor ??= _time.GetUtcNow();
        }

        _lastLoop = 0;
        return VideoSource.Create(options, _loggers.CreateLogger<DecoderVideoSource>(), _time, _history);
    }

    /// <summary>Why the camera is not streaming (null while it streams or is disabled), and the connection-quality word.</summary>
    private (string? Reason, string Quality) Health(string state) => state switch
    {
        StatusMessage.States.Streaming => (null, _history.TroubleWithin(StatusMessage.Qualities.Memory) > 0 ? StatusMessage.Qualities.Unstable : StatusMessage.Qualities.Good),
        StatusMessage.States.Disabled => (null, StatusMessage.Qualities.Idle),
        StatusMessage.States.Finished => (_reason, StatusMessage.Qualities.Idle),
        _ => (_reason, StatusMessage.Qualities.Down),
    };

    private void OnSourceStateChanged(object? sender, VideoSourceStats stats)
    {
        if (stats.LastError is { } reason)
        {
            _reason = reason;
        }

        _sourceState = stats.State switch
        {
            VideoSourceState.Streaming => StatusMessage.States.Streaming,
            VideoSourceState.Stalled or VideoSourceState.Failed => StatusMessage.States.Stalled,
            VideoSourceState.Stopped or VideoSourceState.Finished => _sourceState,
            _ => StatusMessage.States.Connecting,
        };
        WakeStatus();
    }

    /// <summary>
    /// Frame loop: the first frame of a looping file's new pass is announced with a <c>looped</c> event, and the tracker
    /// is told the video was cut, so the jump back is not taken for objects vanishing and reappearing.
    /// </summary>
    private void NoteLoop(Sam2Tracker tracker, VideoFrame frame, long index)
    {
        if (frame.Loop <= _lastLoop)
        {
            return;
        }

        _lastLoop = frame.Loop;
        tracker.Discontinuity();
        _ring?.Clear(); // a late prompt must not reach back across the cut
        Log.Looped(_logger, Id, frame.Loop, index);
        _control.Writer.TryWrite(new MqttMessage(_topics.Events, EventMessage.LoopedJson(Id, index, frame.CaptureTime), MqttQos.AtLeastOnce));
    }
}
