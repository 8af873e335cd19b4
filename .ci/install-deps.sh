#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with the .NET 10 SDK lacks, and nothing it already has.
# Idempotent: every step checks first, so `make test` and `make demo` can call it each time.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(ffmpeg mosquitto mosquitto-clients python3-onnx python3-numpy
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gir1.2-gst-rtsp-server-1.0 python3-gi)
# npm fetches ajv (schema tests); Debian's nodejs/npm only where no Node.js is installed.
# ONNX Runtime comes from NuGet with the build (Microsoft.ML.OnnxRuntime): nothing to fetch here.
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

# ajv (JSON Schema validator, npm) for the tests that check real MQTT messages against
# src/EdgeSam2.Agent/Messages/schemas: no .NET JSON Schema validator restores from our mirror.
AJV_DIR=.tools/ajv
if [ ! -f "$AJV_DIR/node_modules/ajv/package.json" ] || [ ! -f "$AJV_DIR/node_modules/ajv-formats/package.json" ]; then
  echo "install-deps: npm install ajv@8.17.1 ajv-formats@3.0.1 (schema tests)"
  mkdir -p "$AJV_DIR"
  npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$AJV_DIR" ajv@8.17.1 ajv-formats@3.0.1 >/dev/null
fi
