using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Motion;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Tracking.Tracker;

/// <summary>
/// Chooses among a multimask decoder's candidates as SAMURAI does (Yang et al. 2024, "motion-aware memory"): each
/// candidate scores α·IoU(motion-predicted box, candidate box) + (1 − α)·predicted IoU, without motion (a prompt, a
/// track not yet stable) the predicted IoU alone. The chosen candidate fills the single-mask outputs the rest of the
/// tracker reads (low-res logits, IoU, pointer) and its memory mask is made on the host as SAM 2 makes it.
/// Why: look-alikes in contact give a candidate that covers both, and a trained SAM 2 scores it highly; the motion track
/// knows the object's size and place. Allocation-free.
/// </summary>
internal sealed class CandidateChooser(Sam2ModelInfo info)
{
    /// <summary>Another candidate whose box is this many times the chosen one's reaches onto something beside the target.</summary>
    public const float AlternativeReach = 1.5f;

    private readonly MemoryMaskBuilder _memoryMask = new();

    /// <summary>
    /// Chooses for batch slot <paramref name="slot"/> and writes its outputs into the single-mask buffers.
    /// <paramref name="predicted"/>: the motion-predicted box in low-res cells, or null to choose by predicted IoU.
    /// <paramref name="fromPrompt"/>: decoded from clicks or a box, so the memory mask is binarised as SAM 2's is.
    /// </summary>
    public int Choose(TrackerBuffers buffers, int slot, CenterBox? predicted, float motionWeight, bool fromPrompt)
    {
        var (k, l, length, c) = (info.DecoderCandidates, info.LowResMaskSize, info.LowResMaskLength, info.FeatureChannels);
        var best = 0;
        var bestScore = double.NegativeInfinity;
        var (bestArea, largest) = (0f, 0f);
        for (var i = 0; i < k; i++)
        {
            double score = buffers.CandidateIous[(slot * k) + i];
            var box = LowResBox.Find(buffers.CandidateMasks.AsSpan(((slot * k) + i) * length, length), l, l);
            var area = box.IsEmpty ? 0f : (float)(box.X2 - box.X1) * (box.Y2 - box.Y1);
            largest = Math.Max(largest, area);
            if (predicted is { } p && motionWeight > 0)
            {
                var motion = box.IsEmpty ? 0 : MotionTrack.BoxIoU(p, new CenterBox((box.X1 + box.X2) / 2.0, (box.Y1 + box.Y2) / 2.0, box.X2 - box.X1, box.Y2 - box.Y1));
                score = (motionWeight * motion) + ((1 - motionWeight) * score);
            }

            if (score > bestScore)
            {
                (best, bestScore, bestArea) = (i, score, area);
            }
        }

        buffers.AlternativeReaches[slot] = bestArea > 0 && largest >= AlternativeReach * bestArea;

        var chosen = (slot * k) + best;
        var lowRes = buffers.LowRes.AsSpan(slot * length, length);
        buffers.CandidateMasks.AsSpan(chosen * length, length).CopyTo(lowRes);
        buffers.CandidatePointers.AsSpan(chosen * c, c).CopyTo(buffers.Pointers.AsSpan(slot * c, c));
        buffers.Iou[slot] = buffers.CandidateIous[chosen];
        _memoryMask.Build(lowRes, l, buffers.MaskForMemory.AsSpan(slot * info.InputMaskLength, info.InputMaskLength), info.InputSize, fromPrompt);
        buffers.Chosen[slot] = best;
        return best;
    }
}
