using EdgeSam2.Onnx.Native;

namespace EdgeSam2.Onnx.Tests.Support;

/// <summary>Disposes every value RunAllocated returned, so a failing assertion leaks nothing.</summary>
internal sealed class DisposableValues(OrtValue[] items) : IDisposable
{
    public OrtValue[] Items { get; } = items;

    public OrtValue this[int index] => Items[index];

    public void Dispose()
    {
        foreach (var item in Items)
        {
            item.Dispose();
        }
    }
}
