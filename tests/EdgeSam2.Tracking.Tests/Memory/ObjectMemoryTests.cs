using EdgeSam2.Tracking.Memory;

namespace EdgeSam2.Tracking.Tests.Memory;

public sealed class ObjectMemoryTests
{
    [Fact]
    public void AddRecent_ThousandsOfFrames_StaysWithinSlotsAndPointers()
    {
        var memory = new ObjectMemory(slots: 7, maxPointers: 16, maxConditioning: 2, featureLength: 4, pointerLength: 2);
        memory.AddConditioning(0, new float[4], new float[2]);
        for (var f = 1; f <= 5000; f++)
        {
            memory.AddRecent(f, [f, f, f, f], [f, f]);
        }

        Assert.Equal(7, memory.MemoryCount);
        Assert.Equal(6, memory.RecentCount);
        Assert.Equal(15, memory.PointerCount);
        Assert.Equal(4995, memory.Recent(0).Frame);
        Assert.Equal(5000, memory.Recent(5).Frame);
        memory.RecentPointer(0, out var newest);
        memory.RecentPointer(14, out var oldest);
        Assert.Equal((5000, 4986), (newest, oldest));
    }

    [Fact]
    public void AddAnchor_ThousandsOfRecentAndAbsentFrames_NeverEvictAnchorsOnlyNewerAnchorsDo()
    {
        var memory = new ObjectMemory(slots: 7, maxPointers: 16, maxConditioning: 2, featureLength: 1, pointerLength: 1, maxAnchors: 2);
        memory.AddConditioning(0, [0], [0]);
        memory.AddAnchor(5, [5], [5]);
        for (var f = 6; f <= 5000; f++)
        {
            memory.AddRecent(f, [f], [f]);
        }

        Assert.Equal((1, 5L), (memory.AnchorCount, memory.Anchor(0).Frame));
        memory.AddAnchor(5001, [1], [1]);
        memory.AddAnchor(5007, [2], [2]);
        Assert.Equal((2, 5001L, 5007L), (memory.AnchorCount, memory.Anchor(0).Frame, memory.Anchor(1).Frame));
        Assert.Equal(1 + 2 + 6, memory.MemoryCount);
        Assert.Equal(2 + 2 + 6, memory.Capacity);
        memory.ClearRecent();
        Assert.Equal(0, memory.AnchorCount);
    }

    [Fact]
    public void RewindTo_AfterWrappedRings_DropsEntriesFromThatFrameOnKeepsOlderAndConditioningThenWritesOnInOrder()
    {
        var memory = new ObjectMemory(slots: 7, maxPointers: 16, maxConditioning: 2, featureLength: 1, pointerLength: 1, maxAnchors: 2);
        memory.AddConditioning(0, [0], [0]);
        for (var f = 1; f <= 40; f++)
        {
            memory.AddRecent(f, [f], [f]);
            if (f % 10 == 0)
            {
                memory.AddAnchor(f, [f], [f]);
            }
        }

        memory.RewindTo(37);

        Assert.Equal([35L, 36], Enumerable.Range(0, memory.RecentCount).Select(i => memory.Recent(i).Frame));
        Assert.Equal([30L], Enumerable.Range(0, memory.AnchorCount).Select(i => memory.Anchor(i).Frame));
        Assert.Equal(Enumerable.Range(26, 11).Reverse().Select(f => (long)f), Enumerable.Range(0, memory.PointerCount).Select(i => Frame(memory, i)));
        Assert.Equal((1, 0L), (memory.ConditioningCount, memory.OldestConditioning.Frame));

        memory.RewindTo(20);
        Assert.Equal((0, 0, 0), (memory.RecentCount, memory.AnchorCount, memory.PointerCount));
        memory.AddRecent(21, [21], [21]);
        Assert.Equal((21L, 21f, 21L), (memory.Recent(0).Frame, memory.Recent(0).Features[0], Frame(memory, 0)));

        static long Frame(ObjectMemory m, int i)
        {
            m.RecentPointer(i, out var frame);
            return frame;
        }
    }

    [Fact]
    public void AddConditioning_MoreThanMax_KeepsFirstAndNewestAndLeavesRecentAlone()
    {
        var memory = new ObjectMemory(slots: 7, maxPointers: 16, maxConditioning: 3, featureLength: 1, pointerLength: 1);
        memory.AddConditioning(0, [0], [0]);
        for (var f = 1; f <= 10; f++)
        {
            memory.AddRecent(f, [f], [f]);
        }

        memory.AddConditioning(11, [11], [11]);
        memory.AddConditioning(12, [12], [12]);
        memory.AddConditioning(13, [13], [13]);

        Assert.Equal(3, memory.ConditioningCount);
        Assert.Equal((0L, 12L, 13L), (memory.Conditioning(0).Frame, memory.Conditioning(1).Frame, memory.Conditioning(2).Frame));
        Assert.Equal((12f, 13f), (memory.Conditioning(1).Features[0], memory.Conditioning(2).Features[0]));
        // SAM 2 attends every conditioning frame besides six recent ones: prompts do not evict recent memories.
        Assert.Equal(6, memory.RecentCount);
        Assert.Equal(5, memory.Recent(0).Frame);
        Assert.Equal(13, memory.NewestConditioning.Frame);
    }

    [Fact]
    public void AddConditioning_SameFrameTwice_ReplacesThatFramesEntry()
    {
        var memory = new ObjectMemory(slots: 7, maxPointers: 16, maxConditioning: 2, featureLength: 1, pointerLength: 1);
        memory.AddConditioning(0, [0], [0]);
        memory.AddConditioning(5, [5], [5]);
        memory.AddConditioning(5, [6], [6]);

        Assert.Equal(2, memory.ConditioningCount);
        Assert.Equal((5L, 6f), (memory.NewestConditioning.Frame, memory.NewestConditioning.Features[0]));
    }
}
