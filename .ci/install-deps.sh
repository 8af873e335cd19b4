#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with the .NET 10 SDK lacks, and nothing it already has.
# Idempotent: every step checks first, so `make test` and `make demo` can call it each time.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(ffmpeg mosquitto mosquitto-clients python3-onnx python3-numpy
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gir1.2-gst-rtsp-server-1.0 python3-gi)
# npm fetches the ONNX Runtime library and ajv; Debian's nodejs/npm only where no Node.js is installed.
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ONNX Runtime 1.30.0 (CPU build) ships inside the npm package onnxruntime-node; we take only the
# shared library, never run the package's install script, and check it byte for byte.
# The same tarball carries linux/x64 and linux/arm64 (Jetson, CPU only; JetPack's GPU build replaces it there).
ORT_DIR=.tools/onnxruntime
ORT_LIB=$ORT_DIR/libonnxruntime.so.1
case "$(uname -m)" in
  x86_64) ORT_ARCH=x64; ORT_SHA256=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23 ;;
  aarch64) ORT_ARCH=arm64; ORT_SHA256=1f549d46250b005580b597f4164984aaf75b3bcb9f3aeb07c7f8a8fe60b23c76 ;;
  *) echo "install-deps: no ONNX Runtime build for $(uname -m) in onnxruntime-node 1.30.0" >&2; exit 1 ;;
esac
if ! echo "$ORT_SHA256  $ORT_LIB" | sha256sum -c --status 2>/dev/null; then
  echo "install-deps: fetching ONNX Runtime 1.30.0 (npm onnxruntime-node)"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent onnxruntime-node@1.30.0 >/dev/null)
  tar -xzf "$tmp"/onnxruntime-node-1.30.0.tgz -C "$tmp" "package/bin/napi-v6/linux/$ORT_ARCH/libonnxruntime.so.1"
  mkdir -p "$ORT_DIR"
  mv "$tmp/package/bin/napi-v6/linux/$ORT_ARCH/libonnxruntime.so.1" "$ORT_LIB"
  echo "$ORT_SHA256  $ORT_LIB" | sha256sum -c --status || { echo "install-deps: SHA-256 mismatch for $ORT_LIB" >&2; rm -f "$ORT_LIB"; exit 1; }
fi

# ajv (JSON Schema validator, npm) for the tests that check real MQTT messages against
# src/EdgeSam2.Agent/Messages/schemas: no .NET JSON Schema validator restores from our mirror.
AJV_DIR=.tools/ajv
if [ ! -f "$AJV_DIR/node_modules/ajv/package.json" ] || [ ! -f "$AJV_DIR/node_modules/ajv-formats/package.json" ]; then
  echo "install-deps: npm install ajv@8.17.1 ajv-formats@3.0.1 (schema tests)"
  mkdir -p "$AJV_DIR"
  npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$AJV_DIR" ajv@8.17.1 ajv-formats@3.0.1 >/dev/null
fi
