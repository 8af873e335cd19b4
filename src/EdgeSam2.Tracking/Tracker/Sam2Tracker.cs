using EdgeSam2.Tracking.Imaging;
using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Memory;
using EdgeSam2.Tracking.Motion;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Tracking.Tracker;

/// <summary>
/// One camera's SAM 2 tracker: drives the four graphs with the host protocol of SAM2-CONTRACT.md.
/// Per frame: the image encoder once; commands (prompts, removals) in arrival order; then one tracking step
/// for every other object — memory attention grouped by memory shape, one batched decoder call, one batched
/// memory-encoder call for the frames that enter memory. Not thread-safe: one pipeline loop owns it.
/// </summary>
public sealed class Sam2Tracker
{
    private readonly ISam2Model _model;
    private readonly Sam2ModelInfo _info;
    private readonly TrackerOptions _options;
    private readonly ImageFeatures _features;
    private float[]? _image; // made on first use; never when the model prepares frames itself (its preparation graph)
    private readonly List<TrackedObject> _objects = [];
    private readonly TrackerBuffers _buffers;
    private readonly DecoderBatch _decoder = new();
    private readonly AttentionBatch _attention = new();
    private readonly MemoryEncoderBatch _memoryEncoder = new();
    private readonly MaskOverlap _overlap = new();
    private readonly CandidateChooser? _chooser;
    private CenterBox?[] _predicted = [];
    private TrackedObject[] _active = [];
    private OwnershipPrior[] _priors = [];
    private OwnershipPrior[] _scaledPriors = [];
    private bool[] _contested = [];
    private PixelBox[] _lowResClaims = [];
    private PixelBox[] _memoryClaims = [];
    private float[][] _resultMaps = [];
    private MemoryShape[] _shapes = [];
    private int[] _writes = [];
    private MemoryPositionCodes? _codes;
    private int _nextId = 1;

    /// <summary>Creates a tracker over a loaded model set.</summary>
    public Sam2Tracker(ISam2Model model, TrackerOptions options)
    {
        _model = model;
        _info = model.Info;
        _options = options;
        _nextId = Math.Max(1, options.FirstObjectId);
        _features = new ImageFeatures(_info);
        _buffers = new TrackerBuffers(_info, options.MaxPromptPoints + 2, options.Memory.MaxConditioningEntries);
        _chooser = _info.DecoderCandidates > 1 ? new CandidateChooser(_info) : null;
    }

    /// <summary>
    /// True when frames are normalised on the host (<see cref="FrameNormalizer"/>) before the image encoder, so a caller
    /// may do that ahead with <see cref="PrepareFrame"/>; false when the model set prepares frames in its own graph.
    /// </summary>
    public bool PreparesOnHost => !_model.PreparesFrames;

    /// <summary>Floats of one host-prepared model input (3·S·S).</summary>
    public int PreparedLength => 3 * _info.InputSize * _info.InputSize;

    /// <summary>
    /// Normalises a frame into the image encoder's input exactly as <c>Process</c> would, into the caller's
    /// <paramref name="chw"/> (<see cref="PreparedLength"/> floats). Touches no tracker state, so it may run on another
    /// thread while the tracker processes the previous frame; pass the result to <c>Process</c> as its prepared image.
    /// </summary>
    public void PrepareFrame(ReadOnlySpan<byte> rgb24, int pixelWidth, int pixelHeight, Span<float> chw) =>
        FrameNormalizer.ToModelInput(rgb24, pixelWidth, pixelHeight, chw, _info.InputSize);

    /// <summary>Objects currently tracked (not removed).</summary>
    public int ObjectCount => _objects.Count;

    /// <summary>The id the next new object without an operator-chosen id will get.</summary>
    public int NextObjectId => _nextId;

    /// <summary>Ids of the objects currently tracked, ascending.</summary>
    public IEnumerable<int> ObjectIds => _objects.Select(o => o.Id);

    /// <summary>The memory bank of object <paramref name="id"/>, for inspection; null when unknown.</summary>
    public ObjectMemory? MemoryOf(int id) => Find(id)?.Memory;

    /// <summary>
    /// The video was cut: the next frame does not follow the last one (a looping file started again). Every object
    /// keeps its id, state and prompts (conditioning memory) but forgets its recent frames, object pointers, motion and
    /// reference extent, which describe a scene that is gone, so it is searched for by its prompted appearance.
    /// </summary>
    public void Discontinuity()
    {
        foreach (var o in _objects)
        {
            o.Memory.ClearRecent();
            o.Motion.Reset();
            o.ReferenceArea = 0;
            o.ForgetSize();
            o.AbsentFrames = 0;
        }
    }

    /// <summary>
    /// Processes one RGB24 frame: applies <paramref name="commands"/> to it in order, then tracks every other
    /// object. The caller owns (and disposes) the result.
    /// </summary>
    public TrackedFrame Process(
        ReadOnlySpan<byte> rgb24, int width, int height, long frameIndex, DateTimeOffset captureTime, IReadOnlyList<TrackerCommand> commands) =>
        Process(rgb24, width, height, width, height, frameIndex, captureTime, commands);

    /// <summary>
    /// Processes one RGB24 frame delivered at <paramref name="pixelWidth"/>×<paramref name="pixelHeight"/> (e.g. already
    /// squash-scaled by the decoder to the model's input size) that stands for a <paramref name="frameWidth"/>×
    /// <paramref name="frameHeight"/> source frame: prompts, boxes, motion and the result's size are in source pixels,
    /// so the caller need not decode at full resolution. <paramref name="prepared"/>, when not empty, is these pixels
    /// already normalised by <see cref="PrepareFrame"/> (ignored when the model set prepares frames itself); it must stay
    /// unchanged until this call returns. The caller owns (and disposes) the result.
    /// </summary>
    public TrackedFrame Process(
        ReadOnlySpan<byte> rgb24, int pixelWidth, int pixelHeight, int frameWidth, int frameHeight, long frameIndex, DateTimeOffset captureTime,
        IReadOnlyList<TrackerCommand> commands, ReadOnlyMemory<float> prepared = default)
    {
        CheckFrame(rgb24, pixelWidth, pixelHeight, frameWidth, frameHeight);
        var (width, height) = (frameWidth, frameHeight);
        var result = new TrackedFrame(frameIndex, captureTime, width, height, _info.LowResMaskSize);
        if (_objects.Count == 0 && commands.Count == 0)
        {
            return result; // nothing to track: skip the encoder entirely
        }

        Encode(rgb24, pixelWidth, pixelHeight, prepared);
        var frame = new FrameContext(frameIndex, captureTime, width, height, result);
        foreach (var command in commands)
        {
            result.Outcomes.Add(command switch
            {
                PromptCommand p => ApplyPrompt(p, frame),
                RemoveCommand r => ApplyRemove(r, frame),
                _ => CommandOutcome.Fail(command.Tag, "command", $"unknown command {command.GetType().Name}"),
            });
        }

        TrackStep(frame);
        result.Objects.Sort(static (a, b) => a.ObjectId.CompareTo(b.ObjectId));
        if (_options.NonOverlappingMasks && result.Objects.Count > 1)
        {
            // What is published, prompted objects included (SAM 2 consolidates a prompt frame across objects too).
            // Contested pixels go by the motion priors, as they did for the memory masks in the tracking step.
            var (side, count) = (_info.LowResMaskSize, result.Objects.Count);
            var (sx, sy) = ((float)side / width, (float)side / height);
            EnsureScratch(count);
            for (var i = 0; i < count; i++)
            {
                _resultMaps[i] = result.Objects[i].LowResLogits;
                _scaledPriors[i] = result.Objects[i].Prior.Scaled(sx, sy);
            }

            _overlap.Apply(_resultMaps, count, side, _scaledPriors.AsSpan(0, count), MaskOverlap.LogitFloor);
            Array.Clear(_resultMaps, 0, count); // the pooled logits go back with the result
        }

        return result;
    }

    /// <summary>
    /// Late prompts: processes an earlier frame, before the next <c>Process</c>, for some objects only. Applies
    /// <paramref name="prompts"/> to the frame, then one tracking step for the objects in <paramref name="carried"/>
    /// (objects prompted by earlier such calls, carried forward frame by frame in order). A prompt may create an object
    /// or correct an existing one: a correction rewinds the object to this frame (<see cref="Rewind"/>), as SAM 2 re-propagates
    /// from a corrected frame, and the caller then carries it forward like a new one. The image encoder runs once for all
    /// of them; every other object is neither run nor changed. The frame is given as for <c>Process</c> (pixels and the
    /// source frame size they stand for); the result holds the prompts' outcomes and the observations of the objects
    /// prompted or carried (none of one that was removed).
    /// </summary>
    public TrackedFrame ProcessEarlier(
        ReadOnlySpan<byte> rgb24, int pixelWidth, int pixelHeight, int frameWidth, int frameHeight, long frameIndex, DateTimeOffset captureTime,
        IReadOnlyList<PromptCommand> prompts, IReadOnlyList<int> carried)
    {
        CheckFrame(rgb24, pixelWidth, pixelHeight, frameWidth, frameHeight);
        var result = new TrackedFrame(frameIndex, captureTime, frameWidth, frameHeight, _info.LowResMaskSize);
        if (prompts.Count == 0 && carried.Count == 0)
        {
            return result;
        }

        Encode(rgb24, pixelWidth, pixelHeight, default);
        var frame = new FrameContext(frameIndex, captureTime, frameWidth, frameHeight, result);
        foreach (var command in prompts)
        {
            result.Outcomes.Add(ApplyPrompt(command, frame, earlier: true));
        }

        if (carried.Count > 0)
        {
            TrackStep(frame, carried);
        }

        result.Objects.Sort(static (a, b) => a.ObjectId.CompareTo(b.ObjectId));
        return result;
    }

    private static void CheckFrame(ReadOnlySpan<byte> rgb24, int pixelWidth, int pixelHeight, int frameWidth, int frameHeight)
    {
        if (pixelWidth <= 0 || pixelHeight <= 0 || rgb24.Length != checked(pixelWidth * pixelHeight * 3))
        {
            throw new ArgumentException($"an RGB24 frame of {pixelWidth}×{pixelHeight} needs {pixelWidth * pixelHeight * 3} bytes, got {rgb24.Length}.", nameof(rgb24));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(frameWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameHeight, 1);
    }

    private void Encode(ReadOnlySpan<byte> rgb24, int pixelWidth, int pixelHeight, ReadOnlyMemory<float> prepared)
    {
        if (_model.PreparesFrames)
        {
            _model.EncodeFrame(rgb24, pixelWidth, pixelHeight, _features);
            return;
        }

        if (!prepared.IsEmpty)
        {
            if (prepared.Length != PreparedLength)
            {
                throw new ArgumentException($"a prepared frame holds {PreparedLength} floats (3×{_info.InputSize}×{_info.InputSize}), got {prepared.Length}.", nameof(prepared));
            }

            _model.EncodeImage(prepared, _features);
            return;
        }

        _image ??= new float[PreparedLength];
        FrameNormalizer.ToModelInput(rgb24, pixelWidth, pixelHeight, _image, _info.InputSize);
        _model.EncodeImage(_image, _features);
    }

    /// <summary>
    /// The refusal <see cref="ProcessEarlier"/> would answer <paramref name="command"/> with on frame
    /// <paramref name="frameIndex"/> (a <paramref name="frameWidth"/>×<paramref name="frameHeight"/> frame) before
    /// running anything: an invalid prompt, or a correction naming a frame before its object's newest prompt. Null when
    /// it would be run. Lets a caller refuse a late prompt before it spends anything on a catch-up; exact while this
    /// tracker is idle and its earlier frames are then processed in order (conditioning entries only ever move on).
    /// </summary>
    public CommandOutcome? RefusalOnEarlier(PromptCommand command, long frameIndex, int frameWidth, int frameHeight) =>
        Refusal(command, frameIndex, frameWidth, frameHeight, earlier: true);

    private CommandOutcome? Refusal(PromptCommand command, long frameIndex, int width, int height, bool earlier)
    {
        var prompt = command.Prompt;
        if (PromptValidator.Validate(prompt, width, height, _options.MaxPromptPoints) is { } invalid)
        {
            return CommandOutcome.Fail(command.Tag, invalid.Field, invalid.Message);
        }

        var existing = prompt.ObjectId is int wanted ? Find(wanted) : null;
        if (earlier && existing is not null && existing.Memory.NewestConditioning.Frame > frameIndex)
        {
            // SAM 2 would keep that later prompt and attend it from every frame; this bank dates memories by how far back
            // they lie, and a prompt ahead of the frame tracked has no such place, nor is its mask kept to publish again.
            var prompted = existing.Memory.NewestConditioning.Frame;
            return CommandOutcome.Fail(
                command.Tag,
                "frame",
                $"object {existing.Id} was prompted on frame {prompted}, after frame {frameIndex}: a correction may name frame {prompted} or a later one, not an earlier one (a prompt there would be overtaken by the later one)");
        }

        return null;
    }

    /// <summary>
    /// Applies a prompt to the frame. <paramref name="earlier"/>: the frame is an earlier one (<see cref="ProcessEarlier"/>),
    /// so an existing object is rewound to it once the prompt has decoded.
    /// </summary>
    private CommandOutcome ApplyPrompt(PromptCommand command, in FrameContext frame, bool earlier = false)
    {
        var prompt = command.Prompt;
        if (Refusal(command, frame.Index, frame.Width, frame.Height, earlier) is { } refused)
        {
            return refused;
        }

        var existing = prompt.ObjectId is int wanted ? Find(wanted) : null;
        if (existing is null && prompt.RefineOnly)
        {
            return CommandOutcome.Fail(command.Tag, "object_id", $"unknown object {prompt.ObjectId}: there is no such object on this camera");
        }

        if (existing is null && _objects.Count >= _options.MaxObjects)
        {
            return CommandOutcome.Fail(command.Tag, "object_id", $"this camera already tracks {_options.MaxObjects} objects, the configured maximum");
        }

        _buffers.EnsureCapacity(1, _options.MaxObjects);

        // A click or a mask on an existing object is, to SAM 2, a new conditioning frame: a frame not yet tracked for
        // the object (always so when streaming: prompts apply before the tracking step) is decoded like a first
        // prompt, with no memory and no previous mask, and stored as a conditioning entry. A late correction names a frame
        // the object was tracked on, which SAM 2 decodes with its memory and previous mask; here it too is decoded like a
        // first prompt, so the click alone decides, whatever the track it corrects had become (models/README.md).
        if (prompt.Mask is { } mask)
        {
            if (MaskPromptProblem(mask) is { } problem)
            {
                return CommandOutcome.Fail(command.Tag, "mask", problem);
            }
        }
        else
        {
            Decode(1, WritePromptPoints(prompt, frame.Width, frame.Height), _features.VisionFeats, withMotion: false);
        }

        if (_buffers.Scores[0] <= 0)
        {
            var field = prompt.Mask is not null ? "mask" : prompt.Box is null ? "points" : "box";
            return CommandOutcome.Fail(command.Tag, field, $"the prompt selects nothing visible on frame {frame.Index}; nothing was changed");
        }

        _buffers.WriteScores[0] = _buffers.Scores[0];
        EncodeMemory(1);

        var obj = existing;
        if (obj is null)
        {
            var id = prompt.ObjectId ?? _nextId;
            // Reference follows SAM 2's bank exactly: no anchors.
            var anchors = _options.Memory.Policy == MemoryWritePolicy.Reference ? 0 : Math.Clamp(_options.Memory.MaxAnchors, 0, _info.MemorySlots - 2);
            obj = new TrackedObject(id, prompt.Label, new ObjectMemory(
                _info.MemorySlots, _info.MaxObjectPointers, _options.Memory.MaxConditioningEntries, _info.MemoryFeatureLength, _info.FeatureChannels, anchors));
            Insert(obj);
            _nextId = Math.Max(_nextId, id + 1);
            frame.Result.Events.Add(new TrackEvent(TrackEventKind.Created, id, frame.Index, frame.Time));
        }
        else
        {
            obj.Label = prompt.Label ?? obj.Label;
            if (earlier)
            {
                Rewind(obj, frame.Index);
            }

            frame.Result.Events.Add(new TrackEvent(TrackEventKind.PromptApplied, obj.Id, frame.Index, frame.Time));
        }

        obj.LastMemoryWrite = frame.Index;
        obj.LastFrameWritten = true;
        obj.AbsentFrames = 0;
        obj.ReferenceArea = 0; // a prompt may change the object's extent: learn it again
        obj.ForgetSize();
        obj.Memory.AddConditioning(frame.Index, _buffers.MemoryFeatures.AsSpan(0, _info.MemoryFeatureLength), _buffers.Pointers.AsSpan(0, _info.FeatureChannels));
        obj.PromptedFrame = frame.Index;
        frame.Result.Objects.RemoveAll(o => o.ObjectId == obj.Id && Released(o));
        frame.Result.Objects.Add(Observe(obj, 0, frame));
        return CommandOutcome.Ok(command.Tag, obj.Id);
    }

    /// <summary>
    /// A correction on an earlier frame, after its prompt decoded: the object goes back to that frame as SAM 2 goes back
    /// to a corrected frame to propagate again. Its memories, anchors and pointers from that frame on are forgotten (the
    /// caller carries it forward again, writing new ones); its motion starts again from the prompt's mask (the filter
    /// has seen later frames, and a box at an earlier time cannot be fed to it); the rest, as for any prompt, is reset by
    /// the caller (absent count, reference and remembered size).
    /// </summary>
    private static void Rewind(TrackedObject obj, long frame)
    {
        obj.Memory.RewindTo(frame);
        obj.Motion.Reset();
        obj.MaskRejected = false;
    }

    private CommandOutcome ApplyRemove(RemoveCommand command, in FrameContext frame)
    {
        if (command.ObjectId is not int id)
        {
            var ids = new int[_objects.Count];
            for (var i = 0; i < _objects.Count; i++)
            {
                ids[i] = _objects[i].Id;
                _objects[i].Remove(frame.Index, frame.Time, frame.Result.Events);
            }

            _objects.Clear();
            frame.Result.Objects.RemoveAll(Released);
            return CommandOutcome.Ok(command.Tag, ids);
        }

        var obj = Find(id);
        if (obj is null)
        {
            return CommandOutcome.Fail(command.Tag, "object_id", $"unknown object {id}: there is no such object on this camera");
        }

        obj.Remove(frame.Index, frame.Time, frame.Result.Events);
        _objects.Remove(obj);
        frame.Result.Objects.RemoveAll(o => o.ObjectId == id && Released(o));
        return CommandOutcome.Ok(command.Tag, id);
    }

    /// <summary>One tracking step for every object not prompted on this frame, or only for those whose ids are in <paramref name="only"/>.</summary>
    private void TrackStep(in FrameContext frame, IReadOnlyList<int>? only = null)
    {
        var n = 0;
        EnsureScratch(_objects.Count);
        foreach (var obj in _objects)
        {
            if (obj.PromptedFrame != frame.Index && (only is null || Contains(only, obj.Id)))
            {
                _active[n] = obj;
                _shapes[n] = MemoryAssembler.ShapeOf(obj.Memory, frame.Index, UsesSam2Window(obj));
                n++;
            }
        }

        if (n == 0)
        {
            return;
        }

        _buffers.EnsureCapacity(n, _options.MaxObjects);
        SortByShape(n);

        // Memory attention: objects share a call only when their memory tensors have the same shape (and, for
        // the scalar form, the same conditioning distance: the graph takes one scalar per call).
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && SameGroup(_shapes[start], _shapes[end]))
            {
                end++;
            }

            AttendGroup(_active, _shapes, start, end - start, frame.Index);
            start = end;
        }

        // One decoder call for all: a tracking frame's only "prompt" is the padding point (0,0) labelled −1.
        _buffers.PointCoords.AsSpan(0, n * 2).Clear();
        _buffers.PointLabels.AsSpan(0, n).Fill(-1f);
        if (_chooser is not null)
        {
            PredictBoxes(n, frame);
        }

        Decode(n, 1, _buffers.Embeds.AsMemory(0, n * _info.FeatureLength));
        if (_options.NonOverlappingMasks)
        {
            // What enters memory: SAM 2's constraint on the high-resolution masks before the memory encoder, with
            // pixels that two objects claim decided by where each object's motion says it should be. The low-res
            // masks get the same, so the jump gate and the motion model see the masks that will be published.
            // Only pixels where claimed boxes meet are decided, among the objects whose boxes hold them: the boxes
            // bound each mask's positive pixels, at mask_for_mem's size one low-res cell wider (the bilinear upsample
            // reaches that far).
            var (l, s) = (_info.LowResMaskSize, _info.InputSize);
            var cell = s / l;
            for (var k = 0; k < n; k++)
            {
                _priors[k] = _options.MotionOwnership ? _active[k].Motion.PriorAt(frame.Time) : OwnershipPrior.None;
                var box = LowResBox.Find(_buffers.LowRes.AsSpan(k * _info.LowResMaskLength, _info.LowResMaskLength), l, l);
                _lowResClaims[k] = new PixelBox(box.X1, box.Y1, box.X2, box.Y2);
                _memoryClaims[k] = box.IsEmpty
                    ? PixelBox.Empty
                    : new PixelBox(Math.Max(0, (box.X1 - 1) * cell), Math.Max(0, (box.Y1 - 1) * cell), Math.Min(s, (box.X2 + 1) * cell), Math.Min(s, (box.Y2 + 1) * cell));
            }

            ApplyOverlap(_buffers.MaskForMemory, n, s, _memoryClaims, frame, MaskOverlap.MemoryFloor, []);
            ApplyOverlap(_buffers.LowRes, n, l, _lowResClaims, frame, MaskOverlap.LogitFloor, _contested.AsSpan(0, n));
        }
        else
        {
            _priors.AsSpan(0, n).Clear();
            _contested.AsSpan(0, n).Clear();
        }

        // Quality-gated memory writes: move the masks of the frames that enter memory to the front.
        var writes = 0;
        var maskLength = _info.InputMaskLength;
        for (var k = 0; k < n; k++)
        {
            var write = ShouldWrite(_active[k], _buffers.Scores[k], _buffers.Iou[k]) && !RejectMask(_active[k], k, _contested[k], frame);
            _active[k].LastFrameWritten = write;
            if (write)
            {
                if (writes != k)
                {
                    _buffers.MaskForMemory.AsSpan(k * maskLength, maskLength).CopyTo(_buffers.MaskForMemory.AsSpan(writes * maskLength, maskLength));
                }

                _buffers.WriteScores[writes] = _buffers.Scores[k];
                _writes[writes++] = k;
            }
        }

        if (writes > 0)
        {
            EncodeMemory(writes);
            for (var w = 0; w < writes; w++)
            {
                var k = _writes[w];
                var memory = _active[k].Memory;
                var features = _buffers.MemoryFeatures.AsSpan(w * _info.MemoryFeatureLength, _info.MemoryFeatureLength);
                var pointer = _buffers.Pointers.AsSpan(k * _info.FeatureChannels, _info.FeatureChannels);
                _active[k].LastMemoryWrite = frame.Index;
                memory.AddRecent(frame.Index, features, pointer);
                if (IsAnchor(memory, k, frame.Index))
                {
                    memory.AddAnchor(frame.Index, features, pointer);
                }
            }
        }

        for (var k = 0; k < n; k++)
        {
            var observation = Observe(_active[k], k, frame, _contested[k]);
            observation.Prior = _priors[k];
            frame.Result.Objects.Add(observation);
        }

        // Objects that the state machine removed (lost for too long) leave the tracker.
        _objects.RemoveAll(static o => o.State == ObjectState.Removed);
        Array.Clear(_active, 0, n);
    }

    /// <summary>
    /// Where each object's motion puts its box on this frame, in low-res cells, for the candidate choice; null while its
    /// track is not yet stable (or motion has no weight): the predicted IoU alone chooses then.
    /// </summary>
    private void PredictBoxes(int n, in FrameContext frame)
    {
        var (sx, sy) = ((double)_info.LowResMaskSize / frame.Width, (double)_info.LowResMaskSize / frame.Height);
        for (var k = 0; k < n; k++)
        {
            var motion = _active[k].Motion;
            _predicted[k] = _options.CandidateMotionWeight > 0 && motion.StableFrames >= _options.CandidateStableFrames && motion.PredictedBoxAt(frame.Time) is { } b
                ? new CenterBox(b.Cx * sx, b.Cy * sy, b.W * sx, b.H * sy)
                : null;
        }
    }

    private void ApplyOverlap(float[] stacked, int n, int side, PixelBox[] claimed, in FrameContext frame, float floor, Span<bool> contested)
    {
        var (sx, sy) = ((float)side / frame.Width, (float)side / frame.Height);
        for (var k = 0; k < n; k++)
        {
            _scaledPriors[k] = _priors[k].Scaled(sx, sy);
        }

        _overlap.Apply(stacked.AsSpan(0, n * side * side), n, side, _scaledPriors.AsSpan(0, n), claimed.AsSpan(0, n), floor, contested);
    }

    /// <summary>
    /// SAM 2's recent-frame windows while the bank is written like SAM 2's: Reference always; Anchored while the
    /// object's last frame was written (it stops writing absent frames after <see cref="MemoryOptions.MaxAbsentWrites"/>,
    /// and keeps implausible present masks out). Otherwise every held memory, so that the last good ones stay in
    /// attention: a present frame kept out of memory (a sliver coming out from behind an occluder) must not bring back
    /// a window that holds only the absent frames written since.
    /// </summary>
    private bool UsesSam2Window(TrackedObject obj) => _options.Memory.Policy switch
    {
        MemoryWritePolicy.Reference => true,
        MemoryWritePolicy.Anchored => obj.LastFrameWritten,
        _ => false,
    };

    /// <summary>
    /// A present mask that is an implausible memory is kept out of memory and flagged; the object's memory then still
    /// holds its last good shape, from which the search widens as it ages. Reference (SAM 2) never rejects. Implausible:
    /// <list type="bullet">
    /// <item>a jump: a box past <see cref="MemoryOptions.MaxAreaGrowth"/> times the object's recent peak box and past its
    /// remembered size (the usual sign of a mask spreading onto a look-alike), or, while another object claims some of
    /// its pixels, past that many times the box it had when last alone. Growing back to the remembered size is not a
    /// jump: an object coming out from behind an occluder grows from a sliver at any pace.</item>
    /// <item>a sliver: a box under <see cref="MemoryOptions.MinAreaShare"/> of the remembered size (an object going
    /// behind, or coming out from, an occluder). Written, a sliver becomes the newest memory the model searches from,
    /// and one too thin for the memory grid leaves it nothing to search: the object is never found again.</item>
    /// </list>
    /// Shrinking above the sliver share is written: occlusion shrinks masks legitimately, and the tracker must follow.
    /// </summary>
    private bool RejectMask(TrackedObject obj, int batchIndex, bool contested, in FrameContext frame)
    {
        obj.MaskRejected = false;
        var memory = _options.Memory;
        var growth = memory.MaxAreaGrowth;
        if (memory.Policy == MemoryWritePolicy.Reference || _buffers.Scores[batchIndex] <= 0)
        {
            return false;
        }

        var box = LowResBox.Find(_buffers.LowRes.AsSpan(batchIndex * _info.LowResMaskLength, _info.LowResMaskLength), _info.LowResMaskSize, _info.LowResMaskSize);
        var (boxWidth, boxHeight) = ((float)(box.X2 - box.X1), (float)(box.Y2 - box.Y1));
        var area = boxWidth * boxHeight;
        if (growth > 0 && obj.ReferenceArea > 0 && area > growth * obj.ReferenceArea && area > obj.RememberedArea)
        {
            obj.MaskRejected = true;
            return true;
        }

        // A mask that another object also claims is held to the box the object had when last alone: spreading onto a
        // look-alike is gradual (a few cells a frame), so the decaying peak alone follows it up.
        var (l, alone) = (_info.LowResMaskSize, obj.Motion.AloneSize);
        var aloneArea = alone.Width * l / frame.Width * (alone.Height * l / frame.Height);
        if (growth > 0 && contested && aloneArea > 0 && area > growth * aloneArea)
        {
            obj.MaskRejected = true;
            return true;
        }

        if (area < memory.MinAreaShare * obj.RememberedArea)
        {
            obj.MaskRejected = true;
            return true;
        }

        // The reference is the recent peak, decaying 5 % a written frame: growth at any pace up to the peak (an object
        // coming out from behind an occluder) and gradual growth beyond it (an object coming closer) are accepted.
        obj.ReferenceArea = Math.Max(area, 0.95f * obj.ReferenceArea);
        obj.RememberSize(boxWidth, boxHeight);
        return false;
    }

    /// <summary>
    /// DAM4SAM's rule for its distractor-resolving memory, on what the host can see: a frame written while the target is
    /// reliable (present, predicted IoU at least <see cref="MemoryOptions.MinIouForMemory"/>, mask not rejected) with a
    /// look-alike near it — another object claims some of its pixels, or another decoder candidate reaches well beyond the
    /// chosen one — and no anchor within the last <c>memory_slots − 1</c> frames (those are in the recent window anyway).
    /// </summary>
    private bool IsAnchor(ObjectMemory memory, int slot, long frame)
    {
        if (memory.MaxAnchors == 0 || _buffers.Scores[slot] <= 0 || _buffers.Iou[slot] < _options.Memory.MinIouForMemory)
        {
            return false;
        }

        var near = _contested[slot] || (_chooser is not null && _buffers.AlternativeReaches[slot]);
        return near && (memory.AnchorCount == 0 || frame - memory.NewestAnchorFrame >= memory.Slots - 1);
    }

    private bool ShouldWrite(TrackedObject obj, float score, float iou)
    {
        var memory = _options.Memory;
        var present = score > 0;
        obj.MaskRejected = false;
        obj.AbsentFrames = present ? 0 : obj.AbsentFrames + 1;
        return memory.Policy switch
        {
            MemoryWritePolicy.Reference => true,
            MemoryWritePolicy.QualityGated => present && iou >= memory.MinIouForMemory,
            _ => present ? iou >= memory.MinIouForMemory : obj.AbsentFrames <= memory.MaxAbsentWrites,
        };
    }

    private void AttendGroup(TrackedObject[] objects, MemoryShape[] shapes, int start, int count, long frameIndex)
    {
        var shape = shapes[start];
        var m0 = shape.Pointers * _info.FeatureChannels;
        var m1 = shape.Memories * _info.MemoryFeatureLength;
        var pos = _info.PositionRows(shape.Memories, shape.Pointers) * _info.MemoryChannels;
        _buffers.UsePositionSlots(pos);
        for (var k = 0; k < count; k++)
        {
            MemoryAssembler.Write(
                objects[start + k].Memory, frameIndex, shape, _info, _codes!,
                _buffers.Memory0.AsSpan(k * m0, m0),
                _buffers.Memory1.AsSpan(k * m1, m1),
                _buffers.MemoryPosEmbed.AsSpan(k * pos, pos),
                _buffers.PointerOffsets.AsSpan(k * shape.Pointers, shape.Pointers),
                ref _buffers.PositionSignatures[k]);
        }

        _attention.Batch = count;
        _attention.Memories = shape.Memories;
        _attention.Pointers = shape.Pointers;
        _attention.Memory0 = _buffers.Memory0.AsMemory(0, count * m0);
        _attention.Memory1 = _buffers.Memory1.AsMemory(0, count * m1);
        _attention.MemoryPosEmbed = _buffers.MemoryPosEmbed.AsMemory(0, count * pos);
        _attention.CondFrameDistance = shape.ConditioningDistance;
        _attention.PointerOffsets = _buffers.PointerOffsets.AsMemory(0, count * shape.Pointers);
        _attention.ImageEmbed = _buffers.Embeds.AsMemory(start * _info.FeatureLength, count * _info.FeatureLength);
        _model.AttendMemory(_attention, _features);
    }

    /// <summary>
    /// Decodes a mask prompt as SAM 2's <c>add_new_mask</c> (use_mask_input_as_output_without_sam): the mask, resized
    /// to the input size, is the output; the graph takes the pointer from a decoder pass on the raw image feature
    /// (<c>pix_feat</c>: SAM 2 adds no no-memory embedding on this path) with the mask as its dense prompt and only
    /// the padding point. Returns why it cannot, or null with the result in the buffers' first row.
    /// </summary>
    private string? MaskPromptProblem(PromptMask mask)
    {
        if (!_info.AcceptsMaskPrompts)
        {
            return "this model set's mask decoder has no mask input (mask_input, has_mask_input), so it cannot take a mask prompt; "
                + "use a set exported with one (tools/export-sam2 writes manifest.masks.json) or prompt with points or a box";
        }

        if (_chooser is not null)
        {
            // SAM 2 takes a mask prompt's pointer from the single-mask output, which a multimask decoder does not return.
            return "this model set's mask decoder returns several candidates (multimask), which cannot reproduce SAM 2's mask prompt; "
                + "use a single-mask set with a mask input (tools/export-sam2 writes manifest.masks.json) or prompt with points or a box";
        }

        // The validator has checked the counts against the frame's size, so this decode cannot fail.
        var pixels = _buffers.MaskPromptPixels(mask.Width * mask.Height);
        CocoRle.Decode(mask.Counts, mask.Width, mask.Height, pixels);
        var input = _buffers.MaskPrompt;
        if (AntialiasResampler.ResizeMask(pixels.AsSpan(0, mask.Width * mask.Height), mask.Width, mask.Height, _info.InputSize, input) == 0)
        {
            return $"the mask is too thin to survive scaling to the model's {_info.InputSize}×{_info.InputSize} input; nothing was changed";
        }

        _buffers.PointCoords.AsSpan(0, 2).Clear();
        _buffers.PointLabels[0] = -1f;
        Decode(1, 1, _features.PixFeat, withMotion: false, input, _buffers.HasMaskPrompt);
        return null;
    }

    /// <summary>
    /// Runs the decoder on the first <paramref name="batch"/> slots. With a multimask decoder, chooses each slot's
    /// candidate (by motion where <see cref="PredictBoxes"/> gave a box, else by predicted IoU; <paramref name="withMotion"/>
    /// false: a prompt) and fills the single-mask buffers from it.
    /// </summary>
    private void Decode(int batch, int points, ReadOnlyMemory<float> embed, bool withMotion = true, float[]? maskInput = null, float[]? hasMaskInput = null)
    {
        _decoder.MaskInput = maskInput is null ? Memory<float>.Empty : maskInput.AsMemory(0, batch * _info.InputMaskLength);
        _decoder.HasMaskInput = hasMaskInput is null ? Memory<float>.Empty : hasMaskInput.AsMemory(0, batch);
        _decoder.Batch = batch;
        _decoder.Points = points;
        _decoder.PointCoords = _buffers.PointCoords.AsMemory(0, batch * points * 2);
        _decoder.PointLabels = _buffers.PointLabels.AsMemory(0, batch * points);
        _decoder.ImageEmbed = System.Runtime.InteropServices.MemoryMarshal.AsMemory(embed);
        _decoder.ObjectPointers = _buffers.Pointers.AsMemory(0, batch * _info.FeatureChannels);
        _decoder.MaskForMemory = _buffers.MaskForMemory.AsMemory(0, batch * _info.InputMaskLength);
        _decoder.LowResMasks = _buffers.LowRes.AsMemory(0, batch * _info.LowResMaskLength);
        _decoder.Iou = _buffers.Iou.AsMemory(0, batch);
        _decoder.ObjectScores = _buffers.Scores.AsMemory(0, batch);
        if (_chooser is null)
        {
            _model.DecodeMasks(_decoder, _features);
            return;
        }

        var k = _info.DecoderCandidates;
        _decoder.CandidateMasks = _buffers.CandidateMasks.AsMemory(0, batch * k * _info.LowResMaskLength);
        _decoder.CandidateIous = _buffers.CandidateIous.AsMemory(0, batch * k);
        _decoder.CandidatePointers = _buffers.CandidatePointers.AsMemory(0, batch * k * _info.FeatureChannels);
        _model.DecodeMasks(_decoder, _features);
        for (var slot = 0; slot < batch; slot++)
        {
            _chooser.Choose(_buffers, slot, withMotion ? _predicted[slot] : null, _options.CandidateMotionWeight, fromPrompt: !withMotion);
        }
    }

    private void EncodeMemory(int batch)
    {
        _memoryEncoder.Batch = batch;
        _memoryEncoder.MaskForMemory = _buffers.MaskForMemory.AsMemory(0, batch * _info.InputMaskLength);
        _memoryEncoder.ObjectScores = _buffers.WriteScores.AsMemory(0, batch);
        _memoryEncoder.Features = _buffers.MemoryFeatures.AsMemory(0, batch * _info.MemoryFeatureLength);
        _memoryEncoder.PositionEncoding = _buffers.MemoryPositions.AsMemory(0, batch * _info.MemoryTokens * _info.MemoryChannels);
        _memoryEncoder.TemporalCode = _buffers.TemporalCode;
        _model.EncodeMemory(_memoryEncoder, _features);
        _codes ??= new MemoryPositionCodes(
            _buffers.MemoryPositions.AsSpan(0, _info.MemoryTokens * _info.MemoryChannels), _buffers.TemporalCode, _info.MemorySlots);
    }

    private ObjectObservation Observe(TrackedObject obj, int batchIndex, in FrameContext frame, bool contested = false)
    {
        var lowResLength = _info.LowResMaskLength;
        var observation = new ObjectObservation(obj.Id, obj.Label, lowResLength)
        {
            ObjectScore = _buffers.Scores[batchIndex],
            PredictedIou = _buffers.Iou[batchIndex],
        };
        var logits = _buffers.LowRes.AsSpan(batchIndex * lowResLength, lowResLength);
        logits.CopyTo(observation.LowResLogits);

        var visible = observation.Visible;
        var box = LowResBox.Find(logits, _info.LowResMaskSize, _info.LowResMaskSize);
        visible &= !box.IsEmpty;
        var sx = (float)frame.Width / _info.LowResMaskSize;
        var sy = (float)frame.Height / _info.LowResMaskSize;
        obj.Motion.Observe(visible, (box.X1 + box.X2) * 0.5f * sx, (box.Y1 + box.Y2) * 0.5f * sy, (box.X2 - box.X1) * sx, (box.Y2 - box.Y1) * sy, frame.Time, contested);
        obj.Observe(visible, frame.Index, frame.Time, _options, frame.Result.Events);
        observation.State = obj.State;
        observation.Motion = obj.Motion.Estimate;
        observation.FramesSinceMemoryWrite = frame.Index - obj.LastMemoryWrite;
        observation.MaskRejected = obj.MaskRejected && obj.PromptedFrame != frame.Index;
        observation.MemoryFrames = obj.Memory.MemoryCount;
        observation.Candidate = _chooser is null ? -1 : _buffers.Chosen[batchIndex];
        observation.MemoryCapacity = obj.Memory.Capacity;
        return observation;
    }

    private int WritePromptPoints(ObjectPrompt prompt, int width, int height)
    {
        var sx = (float)_info.InputSize / width;
        var sy = (float)_info.InputSize / height;
        var coords = _buffers.PointCoords.AsSpan();
        var labels = _buffers.PointLabels.AsSpan();
        var p = 0;
        if (prompt.Box is { } box)
        {
            // SAM 2 places the box's two corners (labels 2, 3) before any click.
            (coords[0], coords[1], labels[0]) = (box.X1 * sx, box.Y1 * sy, 2f);
            (coords[2], coords[3], labels[1]) = (box.X2 * sx, box.Y2 * sy, 3f);
            p = 2;
        }

        foreach (var point in prompt.Points)
        {
            coords[2 * p] = point.X * sx;
            coords[(2 * p) + 1] = point.Y * sy;
            labels[p++] = point.Positive ? 1f : 0f;
        }

        return p;
    }

    private void SortByShape(int n)
    {
        // Insertion sort: a handful of objects, no allocation.
        for (var i = 1; i < n; i++)
        {
            var (obj, shape) = (_active[i], _shapes[i]);
            var j = i - 1;
            while (j >= 0 && Compare(_shapes[j], shape) > 0)
            {
                (_active[j + 1], _shapes[j + 1]) = (_active[j], _shapes[j]);
                j--;
            }

            (_active[j + 1], _shapes[j + 1]) = (obj, shape);
        }
    }

    private int Compare(MemoryShape a, MemoryShape b)
    {
        var c = a.Memories.CompareTo(b.Memories);
        if (c == 0)
        {
            c = a.Pointers.CompareTo(b.Pointers);
        }

        return c == 0 && _info.AttentionForm == MemoryAttentionForm.Scalar ? a.ConditioningDistance.CompareTo(b.ConditioningDistance) : c;
    }

    private bool SameGroup(MemoryShape a, MemoryShape b) => Compare(a, b) == 0;

    private void EnsureScratch(int n)
    {
        if (_active.Length < n)
        {
            _active = new TrackedObject[Math.Max(n, _options.MaxObjects)];
            _shapes = new MemoryShape[_active.Length];
            _priors = new OwnershipPrior[_active.Length];
            _scaledPriors = new OwnershipPrior[_active.Length];
            _contested = new bool[_active.Length];
            _lowResClaims = new PixelBox[_active.Length];
            _memoryClaims = new PixelBox[_active.Length];
            _resultMaps = new float[_active.Length][];
            _writes = new int[_active.Length];
            _predicted = new CenterBox?[_active.Length];
        }
    }

    private static bool Contains(IReadOnlyList<int> ids, int id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id)
            {
                return true;
            }
        }

        return false;
    }

    private TrackedObject? Find(int id)
    {
        foreach (var obj in _objects)
        {
            if (obj.Id == id)
            {
                return obj;
            }
        }

        return null;
    }

    private void Insert(TrackedObject obj)
    {
        var index = 0;
        while (index < _objects.Count && _objects[index].Id < obj.Id)
        {
            index++;
        }

        _objects.Insert(index, obj);
    }

    private static bool Released(ObjectObservation o)
    {
        o.Release();
        return true;
    }

    private readonly record struct FrameContext(long Index, DateTimeOffset Time, int Width, int Height, TrackedFrame Result);
}
