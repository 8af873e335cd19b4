using System.Runtime.InteropServices;
using EdgeSam2.Onnx.Native;
using EdgeSam2.Testing;
using Xunit.Abstractions;

namespace EdgeSam2.Onnx.Tests.Native;

public sealed class OrtRuntimeTests(ITestOutputHelper output)
{
    [Fact]
    public void Load_RealLibrary_ReportsVersionAndCpuProvider()
    {
        using var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);

        output.WriteLine($"ONNX Runtime {runtime.Version} (C API {OrtRuntime.ApiVersion}), providers: {string.Join(", ", runtime.AvailableProviders)}");
        Assert.Matches(@"^\d+\.\d+\.\d+", runtime.Version);
        Assert.Contains("CPUExecutionProvider", runtime.AvailableProviders);
        Assert.Equal(Path.GetFullPath(RepoPaths.OrtLibrary), runtime.LibraryPath);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "libonnxruntime.so.1");

        var error = Assert.Throws<OrtLibraryException>(() => OrtRuntime.Load(path));

        Assert.Equal(path, error.LibraryPath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileThatIsNoSharedLibrary_ThrowsNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-library-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "this is text, not ELF");
        try
        {
            var error = Assert.Throws<OrtLibraryException>(() => OrtRuntime.Load(path));

            Assert.Equal(path, error.LibraryPath);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("cannot be loaded", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_SharedLibraryThatIsNotOrt_ThrowsNamingThePath()
    {
        // A real shared library that is certainly present and certainly not ONNX Runtime.
        var path = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");
        Assert.True(File.Exists(path), $"test precondition: {path} exists");

        var error = Assert.Throws<OrtLibraryException>(() => OrtRuntime.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not an ONNX Runtime library", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenSession_AfterDispose_ThrowsObjectDisposed()
    {
        var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        runtime.Dispose();
        runtime.Dispose();

        Assert.Throws<ObjectDisposedException>(
            () => runtime.OpenSession(Support.TestModels.Affine, OrtSessionSettings.Default));
    }
}
