using System.Diagnostics;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Options;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Cameras;

/// <summary>The publisher loops: tracks (post-processed), events, periodic status and state; expiring waiting commands; source probing.</summary>
internal sealed partial class CameraPipeline
{
    private async Task PublishTracksAsync()
    {
        var post = new TrackPostProcessor(_options.Output.Mask == MaskOutput.Rle);

        // Reads until the channel completes, so frames left at shutdown are disposed too.
        await foreach (var item in _tracks.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            using (item.Frame)
            {
                var postStarted = Stopwatch.GetTimestamp();
                var payload = post.Build(Id, item.Frame, LatencyOf(item), item.Clock);
                var publishStarted = Stopwatch.GetTimestamp();
                _mqtt.TryPublishTracks(_topics.Tracks, payload);
                ObservePublished(item, postStarted, publishStarted);
            }
        }
    }

    private async Task PublishControlAsync()
    {
        await foreach (var message in _control.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _mqtt.PublishAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task PublishStatusAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                using (var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    tick.CancelAfter(StatusInterval);
                    try
                    {
                        if (!await _statusWake.Reader.WaitToReadAsync(tick.Token).ConfigureAwait(false))
                        {
                            return;
                        }

                        _statusWake.Reader.TryRead(out _);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                    }
                }

                if (_stateDirty)
                {
                    _stateDirty = false;
                    await _mqtt.PublishAsync(AgentMqtt.Retained(_topics.State, StatusMessage.StateJson(Enabled)), stoppingToken).ConfigureAwait(false);
                }

                await _mqtt.PublishAsync(RetainedStatus(), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Answers <c>expired</c> the commands whose frame has not come in time, also while no frame comes at all.</summary>
    private async Task ExpirePendingAsync(CancellationToken stoppingToken)
    {
        var timeout = TimeSpan.FromSeconds(_options.Commands.PendingTimeoutSeconds);
        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, StatusInterval.Ticks));
        using var timer = new PeriodicTimer(period, _time);
        var expired = new List<PendingCommand>();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                expired.Clear();
                _inbox.Expire(expired);
                ReplyExpired(expired);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void ReplyExpired(List<PendingCommand> expired)
    {
        foreach (var command in expired)
        {
            var field = command.At.CaptureTime is null ? "frame" : "capture_time";
            Reply(command, new CommandReply(command.Request.RequestId, false, $"expired: {command.At} did not come within {_options.Commands.PendingTimeoutSeconds} s", field)
            {
                Expired = true,
                Frame = Volatile.Read(ref _lastIndex) is var last and >= 0 ? last : null,
            });
        }
    }

    private async Task ProbeAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            var info = await VideoProbe.ProbeAsync(_camera.Url, timeout.Token).ConfigureAwait(false);
            Volatile.Write(ref _probedWidth, info.Width);
            Volatile.Write(ref _probedHeight, info.Height);
            Log.Probed(_logger, Id, info.Width, info.Height, info.FrameRate);
        }
        catch (Exception e) when (e is VideoProbeException or OperationCanceledException)
        {
            if (!stoppingToken.IsCancellationRequested)
            {
                Log.ProbeFailed(_logger, Id, e is VideoProbeException ? e.Message : $"no answer within {ProbeTimeout.TotalSeconds:0} s");
            }
        }
    }

    private void WakeStatus() => _statusWake.Writer.TryWrite(true);
}
