using EdgeSam2.Onnx.Runtime;
using EdgeSam2.Testing;

namespace EdgeSam2.Onnx.Tests.Runtime;

/// <summary>
/// A system ONNX Runtime (the Jetson image's) must be at least as new as the managed API: an older one is refused
/// with one line naming both versions, before the managed API touches it. The old library is a real shared object
/// built here with the C compiler, exporting ORT's <c>OrtGetApiBase</c> with an old version string.
/// </summary>
public sealed class SystemOrtLibraryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgesam2-ortlib-").FullName;

    [Fact]
    public void Use_LibraryOlderThanTheManagedApi_RefusesNamingBothVersions()
    {
        var library = BuildFakeOrt("1.16.3");

        var e = Assert.Throws<OrtRuntimeException>(() => SystemOrtLibrary.Use(library));

        Assert.Contains($"'{library}' is version 1.16.3", e.Message, StringComparison.Ordinal);
        Assert.Contains($"managed API is {SystemOrtLibrary.ManagedVersion.ToString(3)}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Use_SharedObjectThatIsNotOrt_SaysSo()
    {
        var library = BuildSharedObject("int answer(void) { return 42; }\n");

        var e = Assert.Throws<OrtRuntimeException>(() => SystemOrtLibrary.Use(library));

        Assert.Equal($"'{library}' is not an ONNX Runtime library (it has no OrtGetApiBase)", e.Message);
    }

    [Fact]
    public void Use_FileThatIsNotALibrary_NamesTheFile()
    {
        var path = Path.Combine(_dir, "libonnxruntime.so");
        File.WriteAllText(path, "not an ELF file");

        var e = Assert.Throws<OrtRuntimeException>(() => SystemOrtLibrary.Use(path));

        Assert.StartsWith($"ONNX Runtime library '{path}' cannot be loaded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Use_MissingFile_NamesTheOption()
    {
        var path = Path.Combine(_dir, "nope.so");

        var e = Assert.Throws<OrtRuntimeException>(() => SystemOrtLibrary.Use(path));

        Assert.Equal($"ONNX Runtime library '{path}' does not exist (Model:OrtLibrary)", e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string BuildFakeOrt(string version) => NativeLibraries.BuildFakeOrt(_dir, version);

    private string BuildSharedObject(string source) => NativeLibraries.BuildSharedObject(_dir, source);
}
