using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using EdgeSam2.Onnx.Preparation;
using EdgeSam2.Tracking.Sam2;
using static EdgeSam2.Onnx.Sam2.Sam2Graphs;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// One camera's view of a shared <see cref="Sam2ModelSet"/>: the tracker's buffers bound to the four graphs through
/// cached ORT values, so a frame allocates nothing here once its shapes have been seen. Shape arrays are made once
/// and refilled per call. With <see cref="Sam2ModelSet.ObjectThreads"/> above 1, a per-object call for several
/// objects is split into shares of rows that run side by side: the calling thread runs the first share, one
/// <see cref="LaneWorker"/> each of the others, every share on its own <see cref="ObjectLane"/>'s bindings, and the
/// call returns when all are done. Disposing it releases this camera's bindings and workers; the sessions stay with
/// the set.
/// </summary>
/// <remarks>Not thread-safe: each camera loop owns one.</remarks>
public sealed class OnnxSam2Model : ISam2Model
{
    private readonly Sam2ModelSet _set;
    private readonly TensorBinding _encoder;
    private readonly ObjectLane[] _lanes;
    private readonly LaneWorker[] _workers;
    private readonly GraphFramePreparer? _preparer;
    private readonly FixedShapes _fixed;

    // Runs and wall time of each graph's calls (Modules order), split calls timed whole: read by statistics threads.
    private readonly long[] _runs = new long[4];
    private readonly long[] _runTicks = new long[4];

    internal OnnxSam2Model(Sam2ModelSet set)
    {
        _set = set;
        _fixed = new FixedShapes(set.Info);
        _lanes = new ObjectLane[set.ObjectThreads];
        _workers = new LaneWorker[set.ObjectThreads - 1];
        _encoder = new TensorBinding(set.Encoder, [Image], [PixFeat, HighResFeat0, HighResFeat1, VisionFeats, VisionPosEmbed]);
        try
        {
            for (var i = 0; i < _lanes.Length; i++)
            {
                _lanes[i] = new ObjectLane(set, _fixed, first: i == 0);
            }

            for (var i = 0; i < _workers.Length; i++)
            {
                // Linux keeps 15 characters of a thread's name (top -H, perf).
                _workers[i] = new LaneWorker($"edgesam2-lane{i + 1}", _lanes[i + 1].RunTaken);
            }

            if (set.PreparationSession is { } prep)
            {
                _preparer = new GraphFramePreparer(prep.Session, prep.Provider, set.PreparationDevice, set.Info.InputSize);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public Sam2ModelInfo Info => _set.Info;

    /// <inheritdoc/>
    public string Provider => _set.Provider;

    /// <summary>The shared set this camera runs on.</summary>
    internal Sam2ModelSet Set => _set;

    /// <summary>The manifest the shared set was loaded from.</summary>
    public Sam2Manifest Manifest => _set.Manifest;

    /// <summary>Threads a per-object call is split across (<see cref="Sam2ModelSet.ObjectThreads"/>).</summary>
    public int ObjectThreads => _lanes.Length;

    /// <summary>
    /// Objects each share of a split call gets at least: a call for fewer than twice this runs whole. In the agent on
    /// the 2-core bench box, a split of 2 objects made a frame slower (5.68 against 5.21 ms): the second core is
    /// mostly busy with the camera's decoder at that rate, and a one-object share waits for it.
    /// </summary>
    internal const int MinObjectsPerShare = 2;

    /// <summary>Shares the object threads have run (for tests: a split call really ran beside the calling thread).</summary>
    internal long SharesRunByWorkers => _workers.Sum(w => w.Runs);

    /// <summary>Shares split off for a worker that the calling thread ran itself, the worker not having begun them.</summary>
    internal long SharesRunByCaller => _workers.Sum(w => w.RunsByCaller);

    /// <summary>ORT values created for this camera so far: it stops growing once every shape has been seen.</summary>
    public long ValuesCreated
    {
        get
        {
            var created = _encoder.ValuesCreated;
            foreach (var lane in _lanes)
            {
                created += lane.ValuesCreated;
            }

            return created;
        }
    }

    /// <summary>
    /// Calls of graph <paramref name="index"/> (in <see cref="Sam2Graphs.Modules"/> order) and the wall time they took
    /// (a split call counts once, from its start to its last share's end), for statistics; safe to read from another thread.
    /// </summary>
    public (long Runs, TimeSpan Time) GraphTime(int index) =>
        (Interlocked.Read(ref _runs[index]), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _runTicks[index])));

    /// <summary>The contract's graph names, in the order <see cref="GraphTime"/> takes.</summary>
    public static IReadOnlyList<string> GraphNames => Sam2Graphs.Modules;

    /// <summary>Frames prepared by the preparation graph so far; 0 with the kernel.</summary>
    public long FramesPrepared => _preparer?.Runs ?? 0;

    /// <inheritdoc/>
    public bool PreparesFrames => _preparer is not null;

    /// <inheritdoc/>
    public void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features)
    {
        _encoder.Bind(0, MemoryMarshal.AsMemory(image), _fixed.Image);
        RunEncoder(features);
    }

    /// <inheritdoc/>
    public void EncodeFrame(ReadOnlySpan<byte> rgb24, int width, int height, ImageFeatures features)
    {
        if (_preparer is null)
        {
            throw new NotSupportedException("This model set prepares frames with the kernel (Model:FramePreparation): call EncodeImage.");
        }

        if (width < 1 || height < 1 || rgb24.Length < (long)width * height * 3)
        {
            throw new ArgumentException($"an RGB24 frame of {width}×{height} needs {(long)width * height * 3} bytes, got {rgb24.Length}.", nameof(rgb24));
        }

        _preparer.Run(rgb24, width, height);
        _encoder.BindInputValue(0, _preparer.Image);
        RunEncoder(features);
    }

    private void RunEncoder(ImageFeatures features)
    {
        var start = Stopwatch.GetTimestamp();
        _encoder.Bind(1, features.PixFeat, _fixed.Feature);
        _encoder.Bind(2, features.HighRes0, _fixed.HighRes0);
        _encoder.Bind(3, features.HighRes1, _fixed.HighRes1);
        _encoder.Bind(4, features.VisionFeats, _fixed.Feature);
        _encoder.Bind(5, features.VisionPosEmbed, _fixed.Position);
        _encoder.Run();
        Count(0, start);
    }

    /// <inheritdoc/>
    public void DecodeMasks(DecoderBatch batch, ImageFeatures features) =>
        Run(1, batch, batch.Batch, features, static (lane, b, f) => lane.Decode(b, f), static (lane, b, start, count, f) => lane.Take(b, start, count, f));

    /// <inheritdoc/>
    public void AttendMemory(AttentionBatch batch, ImageFeatures features) =>
        Run(2, batch, batch.Batch, features, static (lane, b, f) => lane.Attend(b, f), static (lane, b, start, count, f) => lane.Take(b, start, count, f));

    /// <inheritdoc/>
    public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features) =>
        Run(3, batch, batch.Batch, features, static (lane, b, f) => lane.EncodeMemory(b, f), static (lane, b, start, count, f) => lane.Take(b, start, count, f));

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker?.Dispose();
        }

        _encoder.Dispose();
        foreach (var lane in _lanes)
        {
            lane?.Dispose();
        }

        _preparer?.Dispose();
    }

    /// <summary>
    /// Runs one per-object call: whole on the calling thread when it has fewer than 2 × <see cref="MinObjectsPerShare"/>
    /// objects or there is one lane; else its rows split into one share per lane (each of at least
    /// <see cref="MinObjectsPerShare"/> objects), the first run here and the others on the workers (each run here
    /// instead when its worker has not begun it by the time this thread's own share is done: <see cref="LaneWorker.Join"/>).
    /// Every started share is waited for, even when one fails, since each writes into the caller's buffers (once any
    /// share, or handing one out, has failed, a share its worker has not begun is dropped instead: the call fails anyway); then
    /// the first failure is rethrown, the calling thread's own first. The delegates are static, so a call allocates nothing.
    /// </summary>
    private void Run<TBatch>(
        int graph, TBatch batch, int rows, ImageFeatures features,
        Action<ObjectLane, TBatch, ImageFeatures> whole, Action<ObjectLane, TBatch, int, int, ImageFeatures> take)
    {
        var start = Stopwatch.GetTimestamp();
        var shares = Math.Clamp(rows / MinObjectsPerShare, 1, _lanes.Length);
        if (shares == 1)
        {
            whole(_lanes[0], batch, features);
            Count(graph, start);
            return;
        }

        var started = 1;
        Exception? failure = null;
        try
        {
            for (; started < shares; started++)
            {
                var (first, count) = BatchRows.Share(rows, shares, started);
                take(_lanes[started], batch, first, count, features);
                _workers[started - 1].Start();
            }

            take(_lanes[0], batch, 0, BatchRows.Share(rows, shares, 0).Count, features);
            _lanes[0].RunTaken();
        }
        catch (Exception e)
        {
            failure = e;
        }

        for (var i = 1; i < started; i++)
        {
            try
            {
                _workers[i - 1].Join(skipUnbegun: failure is not null);
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        Count(graph, start);
    }

    private void Count(int graph, long start)
    {
        Interlocked.Add(ref _runTicks[graph], Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref _runs[graph]);
    }
}
