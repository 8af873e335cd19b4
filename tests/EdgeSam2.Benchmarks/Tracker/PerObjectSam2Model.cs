using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Benchmarks.Tracker;

/// <summary>
/// Splits every batched call into one call per object over slices of the same buffers: what the tracker would
/// cost without batching, with everything else (one encoder run, the same memory) unchanged.
/// </summary>
internal sealed class PerObjectSam2Model(ISam2Model inner) : ISam2Model
{
    private readonly DecoderBatch _decoder = new();
    private readonly AttentionBatch _attention = new();
    private readonly MemoryEncoderBatch _memoryEncoder = new();

    public Sam2ModelInfo Info => inner.Info;

    public string Provider => inner.Provider;

    public void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features) => inner.EncodeImage(image, features);

    public void DecodeMasks(DecoderBatch batch, ImageFeatures features)
    {
        if (batch.Batch == 1)
        {
            inner.DecodeMasks(batch, features);
            return;
        }

        var (info, p) = (Info, batch.Points);
        for (var k = 0; k < batch.Batch; k++)
        {
            _decoder.Batch = 1;
            _decoder.Points = p;
            _decoder.PointCoords = batch.PointCoords.Slice(k * p * 2, p * 2);
            _decoder.PointLabels = batch.PointLabels.Slice(k * p, p);
            _decoder.ImageEmbed = batch.ImageEmbed.Slice(k * info.FeatureLength, info.FeatureLength);
            _decoder.MaskInput = batch.MaskInput.IsEmpty ? default : batch.MaskInput.Slice(k * info.InputMaskLength, info.InputMaskLength);
            _decoder.HasMaskInput = batch.HasMaskInput.IsEmpty ? default : batch.HasMaskInput.Slice(k, 1);
            _decoder.ObjectPointers = batch.ObjectPointers.Slice(k * info.FeatureChannels, info.FeatureChannels);
            _decoder.MaskForMemory = batch.MaskForMemory.Slice(k * info.InputMaskLength, info.InputMaskLength);
            _decoder.LowResMasks = batch.LowResMasks.Slice(k * info.LowResMaskLength, info.LowResMaskLength);
            _decoder.Iou = batch.Iou.Slice(k, 1);
            _decoder.ObjectScores = batch.ObjectScores.Slice(k, 1);
            inner.DecodeMasks(_decoder, features);
        }
    }

    public void AttendMemory(AttentionBatch batch, ImageFeatures features)
    {
        if (batch.Batch == 1)
        {
            inner.AttendMemory(batch, features);
            return;
        }

        var info = Info;
        var m0 = batch.Pointers * info.FeatureChannels;
        var m1 = batch.Memories * info.MemoryFeatureLength;
        var pos = info.PositionRows(batch.Memories, batch.Pointers) * info.MemoryChannels;
        for (var k = 0; k < batch.Batch; k++)
        {
            _attention.Batch = 1;
            _attention.Memories = batch.Memories;
            _attention.Pointers = batch.Pointers;
            _attention.CondFrameDistance = batch.CondFrameDistance;
            _attention.Memory0 = batch.Memory0.Slice(k * m0, m0);
            _attention.Memory1 = batch.Memory1.Slice(k * m1, m1);
            _attention.MemoryPosEmbed = batch.MemoryPosEmbed.Slice(k * pos, pos);
            _attention.PointerOffsets = batch.PointerOffsets.Length >= (k + 1) * batch.Pointers
                ? batch.PointerOffsets.Slice(k * batch.Pointers, batch.Pointers)
                : batch.PointerOffsets;
            _attention.ImageEmbed = batch.ImageEmbed.Slice(k * info.FeatureLength, info.FeatureLength);
            inner.AttendMemory(_attention, features);
        }
    }

    public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features)
    {
        if (batch.Batch == 1)
        {
            inner.EncodeMemory(batch, features);
            return;
        }

        var info = Info;
        var positions = info.MemoryTokens * info.MemoryChannels;
        for (var k = 0; k < batch.Batch; k++)
        {
            _memoryEncoder.Batch = 1;
            _memoryEncoder.MaskForMemory = batch.MaskForMemory.Slice(k * info.InputMaskLength, info.InputMaskLength);
            _memoryEncoder.ObjectScores = batch.ObjectScores.Slice(k, 1);
            _memoryEncoder.Features = batch.Features.Slice(k * info.MemoryFeatureLength, info.MemoryFeatureLength);
            _memoryEncoder.PositionEncoding = batch.PositionEncoding.Slice(k * positions, positions);
            _memoryEncoder.TemporalCode = batch.TemporalCode;
            inner.EncodeMemory(_memoryEncoder, features);
        }
    }

    public void Dispose() => inner.Dispose();
}
