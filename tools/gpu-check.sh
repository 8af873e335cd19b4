#!/usr/bin/env bash
# The GPU check (issue: inference on ONNX Runtime's packages). On a box with an NVIDIA GPU, CUDA 13, cuDNN 9 and
# TensorRT 10, it builds the agent with the GPU package (OnnxRuntimeFlavour=Gpu) unless AGENT_DIR names a build
# made elsewhere, then runs the test model set and the SAM 2 micro export (graphs from SAM 2's own code) through
# TensorRT, CUDA and CPU, printing what loaded, the provider of each graph and per-graph timings.
#   tools/gpu-check.sh                      # build here, then check
#   AGENT_DIR=artifacts/gpu-agent tools/gpu-check.sh
#   EXTRA_MODELS="/models/sam2.1_t/manifest.json" tools/gpu-check.sh   # add a real export (tools/export-sam2)
set -uo pipefail
cd "$(dirname "$0")/.."

echo "== machine"
uname -srm
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || { echo "gpu-check: nvidia-smi failed: no usable NVIDIA GPU here"; exit 1; }
# A library counts as found when the loader would find it: in ldconfig's cache or in a folder of LD_LIBRARY_PATH.
found_lib() {
  ldconfig -p | grep -q "$1" && return 0
  local dir; IFS=: read -ra dirs <<< "${LD_LIBRARY_PATH:-}"
  for dir in "${dirs[@]}"; do [ -n "$dir" ] && [ -e "$dir/$1" ] && return 0; done
  return 1
}
for lib in libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcufft.so.12 libcurand.so.10 libcudnn.so.9 libnvinfer.so.10 libnvonnxparser.so.10; do
  if found_lib "$lib"; then echo "found   $lib"; else echo "MISSING $lib (the providers that need it will fall back)"; fi
done

AGENT_DIR=${AGENT_DIR:-artifacts/gpu-agent}
if [ ! -f "$AGENT_DIR/EdgeSam2.Agent.dll" ]; then
  echo "== building the agent with the GPU package into $AGENT_DIR"
  dotnet publish src/EdgeSam2.Agent -c Release -p:OnnxRuntimeFlavour=Gpu -r linux-x64 --self-contained false -o "$AGENT_DIR" -nologo -v q || exit 1
fi

# A self-contained publish (dotnet publish --self-contained) runs through its own host; otherwise through `dotnet`.
if [ -x "$AGENT_DIR/EdgeSam2.Agent" ]; then AGENT=("$AGENT_DIR/EdgeSam2.Agent"); else AGENT=(dotnet "$AGENT_DIR/EdgeSam2.Agent.dll"); fi

CACHE=$(mktemp -d)
status=0
for set in models/test/manifest.json tests/fixtures/sam2-micro/graphs/manifest.json tests/fixtures/sam2-micro/graphs/manifest.offsets.json ${EXTRA_MODELS:-}; do
  # Model:FramePreparation Auto: the preparation graph on CUDA with a GPU encoder, the kernel on CPU; the last run is
  # CUDA with the kernel, so the image_encoder column shows what the graph saves (its time counts as the encoder's).
  for run in "TensorRt,Cuda,Cpu Auto" "Cuda,Cpu Auto" "Cpu Auto" "Cuda,Cpu Kernel"; do
    read -r providers preparation <<<"$run"
    echo
    echo "== $set on $providers, frame preparation $preparation"
    "${AGENT[@]}" models bench --model "$set" --providers "$providers" --frame-preparation "$preparation" --trt-cache "$CACHE" \
      --objects 1,2,4,8 --frames 30 || { echo "(exit $?)"; status=1; }
  done
done
rm -rf "$CACHE"
exit $status
