using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Tracking.Tracker;

/// <summary>
/// The tracker's batch tensors, sized for a number of objects. They grow (doubling, up to the object limit)
/// only when more objects are tracked than ever before; frames never allocate.
/// </summary>
internal sealed class TrackerBuffers
{
    private readonly Sam2ModelInfo _info;
    private readonly int _maxPromptPoints;
    private readonly int _maxMemories;
    private readonly int _maxPointers;
    private float[]? _maskPrompt;
    private byte[]? _maskPromptPixels;

    /// <summary>
    /// Every conditioning entry is attended besides the recent frames (SAM 2), so a call can carry
    /// <c>maxConditioning − 1</c> more memories and pointers than the model's slots and pointer window.
    /// </summary>
    public TrackerBuffers(Sam2ModelInfo info, int maxPromptPoints, int maxConditioning)
    {
        _info = info;
        _maxPromptPoints = maxPromptPoints;
        _maxMemories = info.MemorySlots + maxConditioning - 1;
        _maxPointers = info.MaxObjectPointers + maxConditioning - 1;
        TemporalCode = new float[info.MemorySlots * info.MemoryChannels];
    }

    public int Capacity { get; private set; }

    public float[] Embeds { get; private set; } = [];

    public float[] PointCoords { get; private set; } = [];

    public float[] PointLabels { get; private set; } = [];

    public float[] Pointers { get; private set; } = [];

    public float[] MaskForMemory { get; private set; } = [];

    public float[] LowRes { get; private set; } = [];

    public float[] Iou { get; private set; } = [];

    public float[] Scores { get; private set; } = [];

    /// <summary>Multimask decoders: every candidate's low-res logits [n,K,L,L], predicted IoU [n,K] and pointer [n,K,C].</summary>
    public float[] CandidateMasks { get; private set; } = [];

    /// <inheritdoc cref="CandidateMasks"/>
    public float[] CandidateIous { get; private set; } = [];

    /// <inheritdoc cref="CandidateMasks"/>
    public float[] CandidatePointers { get; private set; } = [];

    /// <summary>Which candidate each batch slot's single-mask outputs were taken from (−1: single-mask decoder).</summary>
    public int[] Chosen { get; private set; } = [];

    /// <summary>Multimask decoders: another candidate of the slot reaches well beyond the chosen one (a look-alike near).</summary>
    public bool[] AlternativeReaches { get; private set; } = [];

    /// <summary>Object scores of the frames being written to memory, compacted to the front.</summary>
    public float[] WriteScores { get; private set; } = [];

    public float[] Memory0 { get; private set; } = [];

    public float[] Memory1 { get; private set; } = [];

    public float[] MemoryPosEmbed { get; private set; } = [];

    public float[] PointerOffsets { get; private set; } = [];

    public float[] MemoryFeatures { get; private set; } = [];

    public float[] MemoryPositions { get; private set; } = [];

    public float[] TemporalCode { get; }

    /// <summary>One mask prompt at the input size, made on the first mask prompt (most cameras never get one).</summary>
    public float[] MaskPrompt => _maskPrompt ??= new float[_info.InputMaskLength];

    /// <summary>
    /// A mask prompt's decoded pixels: <paramref name="length"/> (the frame's width × height) bytes, grown on the first
    /// mask prompt and reused, so prompts waiting for a frame hold only their RLE.
    /// </summary>
    public byte[] MaskPromptPixels(int length)
    {
        if (_maskPromptPixels is null || _maskPromptPixels.Length < length)
        {
            _maskPromptPixels = new byte[length];
        }

        return _maskPromptPixels;
    }

    /// <summary><c>has_mask_input</c> for a one-row mask-prompt call.</summary>
    public float[] HasMaskPrompt { get; } = [1f];

    /// <summary>
    /// What each batch slot of <see cref="MemoryPosEmbed"/> holds (see MemoryAssembler), valid while every
    /// slot is <see cref="PositionSlotLength"/> floats long; reset when that length or the buffers change.
    /// </summary>
    public ulong[] PositionSignatures { get; private set; } = [];

    public int PositionSlotLength { get; private set; }

    /// <summary>Forgets what the position slots hold when the next group lays them out at another length.</summary>
    public void UsePositionSlots(int length)
    {
        if (length != PositionSlotLength)
        {
            Array.Clear(PositionSignatures);
            PositionSlotLength = length;
        }
    }

    public void EnsureCapacity(int objects, int maxObjects)
    {
        if (objects <= Capacity)
        {
            return;
        }

        var n = Math.Min(Math.Max(objects, Capacity * 2), Math.Max(objects, maxObjects));
        var info = _info;
        Embeds = new float[n * info.FeatureLength];
        PointCoords = new float[n * _maxPromptPoints * 2];
        PointLabels = new float[n * _maxPromptPoints];
        Pointers = new float[n * info.FeatureChannels];
        MaskForMemory = new float[n * info.InputMaskLength];
        LowRes = new float[n * info.LowResMaskLength];
        Iou = new float[n];
        Scores = new float[n];
        var k = info.DecoderCandidates > 1 ? info.DecoderCandidates : 0;
        CandidateMasks = new float[n * k * info.LowResMaskLength];
        CandidateIous = new float[n * k];
        CandidatePointers = new float[n * k * info.FeatureChannels];
        Chosen = new int[n];
        AlternativeReaches = new bool[n];
        WriteScores = new float[n];
        Memory0 = new float[n * _maxPointers * info.FeatureChannels];
        Memory1 = new float[n * _maxMemories * info.MemoryFeatureLength];
        MemoryPosEmbed = new float[n * info.PositionRows(_maxMemories, _maxPointers) * info.MemoryChannels];
        PositionSignatures = new ulong[n];
        PositionSlotLength = 0;
        PointerOffsets = new float[n * _maxPointers];
        MemoryFeatures = new float[n * info.MemoryFeatureLength];
        MemoryPositions = new float[n * info.MemoryTokens * info.MemoryChannels];
        Capacity = n;
    }
}
