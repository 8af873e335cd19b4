#!/usr/bin/env bash
# Installs EdgeSam2 as a systemd service (systemd/README.md): publishes the agent, then puts the binaries, a model
# set, the ONNX Runtime library, the config, the env file, the unit and its sysusers entry in place.
# Settings (environment variables; `make install` passes its own of the same names):
#   DESTDIR      staging root for packaging; empty installs into the live system (default empty)
#   PREFIX       binaries, models and ONNX Runtime (default /opt/edgesam2)
#   SYSCONFDIR   edgesam2.json and edgesam2.env (default /etc/edgesam2)
#   UNITDIR      edgesam2.service (default /etc/systemd/system)
#   SYSUSERSDIR  the sysusers.d entry (default /usr/lib/sysusers.d)
#   MODELS       the model set folder to install, holding manifest.json (default models/test)
#   ORT_DIR      a system ONNX Runtime build (folder with libonnxruntime.so*) to install and point Model:OrtLibrary at;
#                default none: the agent uses the library of its NuGet package, published with it
#   ORT          ONNX Runtime flavour to build: Cpu (default) or Gpu (CUDA/TensorRT, x86-64)
#   RID          runtime identifier to publish for, e.g. linux-arm64 (default: this machine's)
#   CONFIG       build configuration (default Release)
#   SYSTEM_SETUP yes: create the user and reload systemd; no: files only; auto (default): yes when DESTDIR is
#                empty, we are root and systemd is running
# An existing edgesam2.json or edgesam2.env is never overwritten.
set -euo pipefail
cd "$(dirname "$0")/.."

DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/opt/edgesam2}
SYSCONFDIR=${SYSCONFDIR:-/etc/edgesam2}
UNITDIR=${UNITDIR:-/etc/systemd/system}
SYSUSERSDIR=${SYSUSERSDIR:-/usr/lib/sysusers.d}
MODELS=${MODELS:-models/test}
ORT_DIR=${ORT_DIR:-}
ORT=${ORT:-Cpu}
RID=${RID:-}
CONFIG=${CONFIG:-Release}
SYSTEM_SETUP=${SYSTEM_SETUP:-auto}

say() { echo "install: $*"; }
die() { echo "install: $*" >&2; exit 1; }

[[ -f "$MODELS/manifest.json" ]] || die "MODELS=$MODELS has no manifest.json"
for dir in PREFIX SYSCONFDIR UNITDIR SYSUSERSDIR; do
  [[ ${!dir} == /* ]] || die "$dir must be an absolute path (got '${!dir}')"
done

if [[ $SYSTEM_SETUP == auto ]]; then
  if [[ -z $DESTDIR && $(id -u) == 0 && -d /run/systemd/system ]]; then SYSTEM_SETUP=yes; else SYSTEM_SETUP=no; fi
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

say "publishing the agent ($CONFIG${RID:+, $RID})"
publish=(dotnet publish src/EdgeSam2.Agent/EdgeSam2.Agent.csproj -c "$CONFIG" -p:OnnxRuntimeFlavour="$ORT" -o "$stage/agent" --nologo -v q)
[[ -n $RID ]] && publish+=(-r "$RID" --self-contained false)
"${publish[@]}"
[[ -x "$stage/agent/EdgeSam2.Agent" ]] || die "the publish produced no EdgeSam2.Agent executable"

root="$DESTDIR$PREFIX"
model_name=$(basename "$MODELS")
say "agent -> $root/agent"
rm -rf "$root/agent"
install -d -m 0755 "$root" "$root/models"
cp -a "$stage/agent" "$root/agent"
say "model set $MODELS -> $root/models/$model_name"
rm -rf "${root:?}/models/$model_name"
cp -a "$MODELS" "$root/models/$model_name"
install -m 0644 README.md "$root/README.md"

ort_library=""
if [[ -n $ORT_DIR ]] && compgen -G "$ORT_DIR/libonnxruntime.so*" > /dev/null; then
  say "ONNX Runtime $ORT_DIR -> $root/onnxruntime"
  install -d -m 0755 "$root/onnxruntime"
  cp -a "$ORT_DIR"/libonnxruntime.so* "$root/onnxruntime/"
  ort_library="$PREFIX/onnxruntime/libonnxruntime.so.1"
fi

etc="$DESTDIR$SYSCONFDIR"
install -d -m 0755 "$etc"
if [[ -e "$etc/edgesam2.json" ]]; then
  say "$etc/edgesam2.json exists: kept"
else
  say "config -> $etc/edgesam2.json (edit Cameras and Mqtt)"
  sed -E \
    -e "s|(\"Manifest\": *)\"[^\"]*\"|\1\"$PREFIX/models/$model_name/manifest.json\"|" \
    ${ort_library:+-e "s|(\"OrtLibrary\": *)\"[^\"]*\"|\1\"$ort_library\"|"} \
    config/edgesam2.json > "$stage/edgesam2.json"
  install -m 0644 "$stage/edgesam2.json" "$etc/edgesam2.json"
fi

# Per-platform overlays, layered over edgesam2.json when named by --overlay or EDGESAM2_OVERLAY (config/README.md).
for overlay in cpu x86-gpu jetson; do
  if [[ -e "$etc/$overlay.json" ]]; then
    say "$etc/$overlay.json exists: kept"
  else
    sed -e "s|/opt/edgesam2|$PREFIX|g" config/$overlay.json > "$stage/$overlay.json"
    install -m 0644 "$stage/$overlay.json" "$etc/$overlay.json"
  fi
done
say "platform overlays -> $etc/{cpu,x86-gpu,jetson}.json (pick one with EDGESAM2_OVERLAY in $etc/edgesam2.env)"

if [[ -e "$etc/edgesam2.env" ]]; then
  say "$etc/edgesam2.env exists: kept"
else
  say "secrets -> $etc/edgesam2.env (mode 0640)"
  install -m 0640 systemd/edgesam2.env.example "$etc/edgesam2.env"
fi

say "unit -> $DESTDIR$UNITDIR/edgesam2.service"
install -d -m 0755 "$DESTDIR$UNITDIR" "$DESTDIR$SYSUSERSDIR"
sed -e "s|/opt/edgesam2|$PREFIX|g" -e "s|/etc/edgesam2|$SYSCONFDIR|g" systemd/edgesam2.service > "$stage/edgesam2.service"
install -m 0644 "$stage/edgesam2.service" "$DESTDIR$UNITDIR/edgesam2.service"
install -m 0644 systemd/edgesam2.sysusers "$DESTDIR$SYSUSERSDIR/edgesam2.conf"

if [[ $SYSTEM_SETUP == yes ]]; then
  say "creating the edgesam2 user and reloading systemd"
  systemd-sysusers "$SYSUSERSDIR/edgesam2.conf"
  chgrp edgesam2 "$SYSCONFDIR/edgesam2.env"
  systemctl daemon-reload
  say "done: start it with 'systemctl enable --now edgesam2', follow it with 'journalctl -u edgesam2 -f'"
else
  say "done (files only: no user created, systemd not reloaded)"
fi
