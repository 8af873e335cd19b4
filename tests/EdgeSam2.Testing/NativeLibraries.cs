using System.Diagnostics;

namespace EdgeSam2.Testing;

/// <summary>Shared objects built by the C compiler for tests, and the ONNX Runtime library the build ships.</summary>
public static class NativeLibraries
{
    /// <summary>The packaged libonnxruntime.so beside the running test's binaries (the NuGet runtime asset).</summary>
    public static string PackagedOrt
    {
        get
        {
            var arch = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64";
            var path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-" + arch, "native", "libonnxruntime.so");
            return File.Exists(path) ? path : throw new FileNotFoundException("the packaged ONNX Runtime library is not beside the tests", path);
        }
    }

    /// <summary>
    /// A library that exports ONNX Runtime's entry point <c>OrtGetApiBase</c> and reports <paramref name="version"/>,
    /// but serves no API: what an old system ORT looks like to a newer managed API.
    /// </summary>
    public static string BuildFakeOrt(string directory, string version) => BuildSharedObject(directory, $$"""
        typedef const void* (*get_api_fn)(unsigned int);
        typedef const char* (*version_fn)(void);
        static const void* get_api(unsigned int v) { (void)v; return 0; }
        static const char* get_version(void) { return "{{version}}"; }
        static struct { get_api_fn get_api; version_fn get_version; } base = { get_api, get_version };
        const void* OrtGetApiBase(void) { return &base; }
        """);

    /// <summary>Compiles <paramref name="source"/> (C) into a shared object in <paramref name="directory"/>.</summary>
    public static string BuildSharedObject(string directory, string source)
    {
        var c = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".c");
        var so = Path.ChangeExtension(c, ".so");
        File.WriteAllText(c, source);
        using var cc = Process.Start(new ProcessStartInfo("cc", ["-shared", "-fPIC", "-o", so, c]) { RedirectStandardError = true })!;
        var error = cc.StandardError.ReadToEnd();
        cc.WaitForExit();
        return cc.ExitCode == 0 ? so : throw new InvalidOperationException("cc failed: " + error);
    }
}
