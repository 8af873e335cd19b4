"""Run an ONNX graph with ONNX Runtime's C library through ctypes.

ONNX Runtime's Python package is not in Debian and onnx 1.12 (Debian's) has no reference
evaluator, so the exported graphs are checked with the same native library the agent loads.
Only float32 tensors are used. Function slots are indices into the OrtApi table of
onnxruntime_c_api.h; that table only ever grows, so these hold for every release since 1.0.
"""
import ctypes
import glob
import os

import numpy as np

_SLOT = {
    "GetErrorMessage": 2, "CreateEnv": 3, "DisableTelemetryEvents": 6, "CreateSession": 7,
    "Run": 9, "CreateSessionOptions": 10, "SetIntraOpNumThreads": 24,
    "CreateTensorWithDataAsOrtValue": 49, "GetTensorMutableData": 51, "GetDimensionsCount": 61,
    "GetDimensions": 62, "GetTensorTypeAndShape": 65, "CreateCpuMemoryInfo": 69,
    "ReleaseStatus": 93, "ReleaseValue": 96, "ReleaseTensorTypeAndShapeInfo": 99,
}
_P = ctypes.c_void_p
_SIG = {
    "GetErrorMessage": (ctypes.c_char_p, [_P]),
    "CreateEnv": (_P, [ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(_P)]),
    "DisableTelemetryEvents": (_P, [_P]),
    "CreateSession": (_P, [_P, ctypes.c_char_p, _P, ctypes.POINTER(_P)]),
    "Run": (_P, [_P, _P, ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(_P), ctypes.c_size_t,
                 ctypes.POINTER(ctypes.c_char_p), ctypes.c_size_t, ctypes.POINTER(_P)]),
    "CreateSessionOptions": (_P, [ctypes.POINTER(_P)]),
    "SetIntraOpNumThreads": (_P, [_P, ctypes.c_int]),
    "CreateTensorWithDataAsOrtValue": (_P, [_P, _P, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int64),
                                            ctypes.c_size_t, ctypes.c_int, ctypes.POINTER(_P)]),
    "GetTensorMutableData": (_P, [_P, ctypes.POINTER(_P)]),
    "GetDimensionsCount": (_P, [_P, ctypes.POINTER(ctypes.c_size_t)]),
    "GetDimensions": (_P, [_P, ctypes.POINTER(ctypes.c_int64), ctypes.c_size_t]),
    "GetTensorTypeAndShape": (_P, [_P, ctypes.POINTER(_P)]),
    "CreateCpuMemoryInfo": (_P, [ctypes.c_int, ctypes.c_int, ctypes.POINTER(_P)]),
    "ReleaseStatus": (None, [_P]),
    "ReleaseValue": (None, [_P]),
    "ReleaseTensorTypeAndShapeInfo": (None, [_P]),
}
_FLOAT = 1  # ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT


def find_library():
    """Where ONNX Runtime usually is on a box that has built or run EdgeSam2."""
    env = os.environ.get("ORT_LIB")
    if env:
        return env
    home = os.path.expanduser("~")
    pats = [
        home + "/.nuget/packages/microsoft.ml.onnxruntime/*/runtimes/linux-x64/native/libonnxruntime.so",
        "/usr/lib/*/libonnxruntime.so*", "/usr/local/lib/libonnxruntime.so*",
    ]
    if os.uname().machine == "aarch64":
        pats[0] = pats[0].replace("linux-x64", "linux-arm64")
    for pat in pats:
        hits = sorted(glob.glob(pat))
        if hits:
            return hits[-1]
    return None


class OrtRunner:
    def __init__(self, lib_path, threads=0):
        lib = ctypes.CDLL(lib_path)
        lib.OrtGetApiBase.restype = ctypes.POINTER(_P * 2)
        base = lib.OrtGetApiBase().contents
        get_api = ctypes.CFUNCTYPE(_P, ctypes.c_uint32)(base[0])
        self.version = ctypes.CFUNCTYPE(ctypes.c_char_p)(base[1])().decode()
        table = ctypes.cast(get_api(1), ctypes.POINTER(_P * 128)).contents
        self.api = {}
        for name, slot in _SLOT.items():
            restype, argtypes = _SIG[name]
            self.api[name] = ctypes.CFUNCTYPE(restype, *argtypes)(table[slot])
        self.env = _P()
        self._ok(self.api["CreateEnv"](3, b"export-sam2", ctypes.byref(self.env)))  # ERROR level
        self._ok(self.api["DisableTelemetryEvents"](self.env))
        self.opts = _P()
        self._ok(self.api["CreateSessionOptions"](ctypes.byref(self.opts)))
        if threads:
            self._ok(self.api["SetIntraOpNumThreads"](self.opts, threads))
        self.mem = _P()
        self._ok(self.api["CreateCpuMemoryInfo"](0, 0, ctypes.byref(self.mem)))

    def _ok(self, status):
        if status:
            msg = self.api["GetErrorMessage"](status).decode(errors="replace")
            self.api["ReleaseStatus"](status)
            raise RuntimeError(f"ONNX Runtime: {msg}")

    def session(self, path):
        sess = _P()
        self._ok(self.api["CreateSession"](self.env, os.fsencode(path), self.opts, ctypes.byref(sess)))
        return sess

    def run(self, sess, inputs, output_names):
        """inputs: list of (name, float32 array); returns the outputs as numpy arrays."""
        keep, values = [], []
        try:
            for _, arr in inputs:
                arr = np.ascontiguousarray(arr, dtype=np.float32)
                shape = (ctypes.c_int64 * max(arr.ndim, 1))(*arr.shape)
                v = _P()
                self._ok(self.api["CreateTensorWithDataAsOrtValue"](
                    self.mem, arr.ctypes.data, arr.nbytes, shape, arr.ndim, _FLOAT, ctypes.byref(v)))
                keep.append(arr)
                values.append(v)
            in_names = (ctypes.c_char_p * len(inputs))(*[n.encode() for n, _ in inputs])
            out_names = (ctypes.c_char_p * len(output_names))(*[n.encode() for n in output_names])
            outs = (_P * len(output_names))()
            self._ok(self.api["Run"](sess, None, in_names, (_P * len(values))(*values), len(values),
                                     out_names, len(output_names), outs))
            return [self._to_numpy(o) for o in outs]
        finally:
            for v in values:
                self.api["ReleaseValue"](v)

    def _to_numpy(self, value):
        info = _P()
        self._ok(self.api["GetTensorTypeAndShape"](value, ctypes.byref(info)))
        n = ctypes.c_size_t()
        self._ok(self.api["GetDimensionsCount"](info, ctypes.byref(n)))
        dims = (ctypes.c_int64 * max(n.value, 1))()
        self._ok(self.api["GetDimensions"](info, dims, n.value))
        self.api["ReleaseTensorTypeAndShapeInfo"](info)
        shape = tuple(dims[i] for i in range(n.value))
        data = _P()
        self._ok(self.api["GetTensorMutableData"](value, ctypes.byref(data)))
        count = int(np.prod(shape)) if shape else 1
        arr = np.ctypeslib.as_array(ctypes.cast(data, ctypes.POINTER(ctypes.c_float)), shape=(count,))
        out = arr.copy().reshape(shape)
        self.api["ReleaseValue"](value)
        return out
