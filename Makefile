# EdgeSam2: the two commands a new user needs are `make demo` and `make test`.
# Both install what is missing first (.ci/install-deps.sh), so they work on a fresh Debian 12 box.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CONFIG ?= Release
# ONNX Runtime flavour: Cpu (Microsoft.ML.OnnxRuntime) or Gpu (Microsoft.ML.OnnxRuntime.Gpu.Linux: CUDA 13, cuDNN 9, TensorRT 10).
ORT ?= Cpu
RESULTS := artifacts/test-results

.PHONY: deps build models models-check test demo bench bench-short bench-micro install clean

deps:
	@./.ci/install-deps.sh

build: deps
	dotnet build EdgeSam2.sln -c $(CONFIG) -p:OnnxRuntimeFlavour=$(ORT) -warnaserror -nologo -v q

# Regenerates the SAM 2-contract test models (models/test/generate.py) and the frame-preparation graph (models/prep/generate.py).
models: deps
	/usr/bin/python3 models/test/generate.py --out models/test
	/usr/bin/python3 models/prep/generate.py --out models/prep

# CI proof that the committed models are exactly what the generator makes.
models-check: deps
	@tmp=$$(mktemp -d); /usr/bin/python3 models/test/generate.py --out $$tmp >/dev/null; \
	  for f in $$tmp/*.onnx $$tmp/manifest*.json; do cmp -s $$f models/test/$$(basename $$f) || { echo "models-check: $$(basename $$f) differs from its generator: run 'make models'" >&2; exit 1; }; done; \
	  /usr/bin/python3 models/prep/generate.py --out $$tmp/prep >/dev/null; \
	  cmp -s $$tmp/prep/frame_prep.onnx models/prep/frame_prep.onnx || { echo "models-check: frame_prep.onnx differs from its generator: run 'make models'" >&2; exit 1; }; \
	  rm -rf $$tmp; echo "models-check: test models and the preparation graph match their generators"

test: build models-check
	@rm -rf $(RESULTS)
	@status=0; dotnet test EdgeSam2.sln -c $(CONFIG) --no-build --nologo -v q \
	  --logger "trx" --logger "console;verbosity=normal" --results-directory $(RESULTS) || status=$$?; \
	  ./.ci/test-summary.sh $(RESULTS); exit $$status

# Renders a sample scene, starts mosquitto and the agent, seeds two objects over MQTT, prints the agent's output,
# draws it (artifacts/demo/strip.png, annotated.mp4) and exits 0 only when the mean IoU against ground truth is >= 0.9.
demo: build
	dotnet src/EdgeSam2.Demo/bin/$(CONFIG)/net10.0/EdgeSam2.Demo.dll --out artifacts/demo \
	  --agent src/EdgeSam2.Agent/bin/$(CONFIG)/net10.0/EdgeSam2.Agent.dll

# End to end: the real agent on generated scenes (H.264 and FFV1) through a real mosquitto, timed by a subscriber and set
# against the floor of its own graphs; writes artifacts/bench/report.md and report.json (about a quarter of an hour).
# The report it replaces is kept as report.previous.json and compared with (--compare): do two runs agree within 10 %?
# BENCH_ARGS passes options on, e.g. BENCH_ARGS="--model /models/sam2.1-tiny/manifest.json --providers TensorRt,Cuda,Cpu".
BENCH_ARGS ?=
bench: build
	@compare=(); if [ -f artifacts/bench/report.json ]; then \
	  cp artifacts/bench/report.json artifacts/bench/report.previous.json; compare=(--compare artifacts/bench/report.previous.json); fi; \
	dotnet src/EdgeSam2.Bench/bin/$(CONFIG)/net10.0/EdgeSam2.Bench.dll --out artifacts/bench \
	  --agent src/EdgeSam2.Agent/bin/$(CONFIG)/net10.0/EdgeSam2.Agent.dll "$${compare[@]}" $(BENCH_ARGS)

# The same, seconds long (what CI's BenchCommandTests runs), into artifacts/bench-short.
bench-short: build
	dotnet src/EdgeSam2.Bench/bin/$(CONFIG)/net10.0/EdgeSam2.Bench.dll --short --out artifacts/bench-short \
	  --agent src/EdgeSam2.Agent/bin/$(CONFIG)/net10.0/EdgeSam2.Agent.dll $(BENCH_ARGS)

# BenchmarkDotNet (reports under artifacts/benchmarks/results), then the per-graph / per-host-step profile.
bench-micro: build
	dotnet run -c $(CONFIG) --no-build --project tests/EdgeSam2.Benchmarks -- --filter '*'
	dotnet run -c $(CONFIG) --no-build --project tests/EdgeSam2.Benchmarks -- --profile 50

# Installs the agent as a systemd service (systemd/README.md). DESTDIR, PREFIX, SYSCONFDIR, UNITDIR, SYSUSERSDIR,
# MODELS, ORT_DIR, RID and SYSTEM_SETUP are passed on to systemd/install.sh (empty ones take its defaults).
install: deps
	DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" SYSCONFDIR="$(SYSCONFDIR)" UNITDIR="$(UNITDIR)" SYSUSERSDIR="$(SYSUSERSDIR)" \
	  MODELS="$(MODELS)" ORT_DIR="$(ORT_DIR)" RID="$(RID)" CONFIG="$(CONFIG)" SYSTEM_SETUP="$(SYSTEM_SETUP)" ./systemd/install.sh

clean:
	rm -rf artifacts .tools
	dotnet clean EdgeSam2.sln -v q
