#!/usr/bin/env bash
# The GPU check of issue 9, in two halves (bench/gpu/README.md says how the device tool is called):
#
#   bash bench/gpu/check.sh publish   here, with the .NET SDK: publishes bench/gpu/Runner (the device-axis tests and
#                                     `descent`, one self-contained trimmed linux-x64 program) into
#                                     bench/gpu/payload/gpucheck-linux-x64.tar.xz and checks it is under 60 MiB.
#   bash bench/gpu/check.sh run       on the GPU machine (no SDK; Python with PyTorch for CUDA): unpacks the payload,
#                                     runs the cuda copies of the test suites, `descent bench --device cuda`, then
#                                     bench/gpu/peer_cuda.py on the same card, and writes report.txt, report.json and
#                                     the raw outputs under $OUT (or bench/gpu/out when OUT is unset).
#
# With no argument it publishes where `dotnet` exists and runs where it does not.
set -uo pipefail
cd "$(dirname "$0")/../.."
here=bench/gpu
payload=$here/payload/gpucheck-linux-x64.tar.xz
limit_mib=60

publish() {
  set -e
  local staging
  staging=$(mktemp -d)
  # Self-contained, linux-x64 and trimmed by the project's own settings (global properties would reach every project).
  dotnet publish $here/Runner/Descent.GpuCheck.csproj -c Release -p:DebugType=none -o "$staging/gpucheck" >"$staging/publish.log" \
    || { tail -30 "$staging/publish.log"; exit 1; }
  mkdir -p "$(dirname "$payload")"
  tar -C "$staging" -cf - gpucheck | xz -9 -T0 >"$payload"
  local bytes
  bytes=$(stat -c %s "$payload")
  echo "published $(du -sh "$staging/gpucheck" | cut -f1) unpacked, $((bytes / 1048576)) MiB xz: $payload"
  rm -rf "$staging"
  if [ "$bytes" -ge $((limit_mib * 1048576)) ]; then
    echo "the payload is over ${limit_mib} MiB" >&2
    exit 1
  fi
}

run() {
  local out=${OUT:-$here/out}
  mkdir -p "$out"
  exec > >(tee "$out/log.txt") 2>&1
  [ -f "$payload" ] || { echo "no $payload: run 'bash bench/gpu/check.sh publish' where the .NET SDK is, and carry bench/gpu/payload"; exit 1; }
  # Unpacked inside the checkout: some suites find README.md and their sources by walking up from the program.
  local work=$PWD/$here/payload/run
  rm -rf "$work" && mkdir -p "$work" && xz -dc "$payload" | tar -C "$work" -xf -
  local exe=$work/gpucheck/Descent.GpuCheck
  export DESCENT_CUDA_CACHE=$work/kernel-cache DOTNET_CLI_TELEMETRY_OPTOUT=1
  echo "== machine"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv 2>&1 | head -3
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' 2>&1

  echo "== finding the CUDA libraries on our own (no DESCENT_CUDA_LIBS)"
  if ! timeout 120 "$exe" device cuda; then
    # Fall back on the Python environment's wheels, named explicitly; the probe's message says why.
    DESCENT_CUDA_LIBS=$(python3 -c 'import glob, site; print(":".join(sorted({f for p in site.getsitepackages() for f in glob.glob(p + "/nvidia/*/lib")})))')
    export DESCENT_CUDA_LIBS
    echo "discovery failed (see above); DESCENT_CUDA_LIBS=$DESCENT_CUDA_LIBS"
  fi

  echo "== device-axis tests on cuda"
  # Unzeroed buffers start as all ones, so a kernel that leaves elements unwritten shows it. The whole-catalogue NVRTC
  # compile of Descent.Cuda.Tests is left out: CI runs it, and here every kernel the suites use is compiled anyway.
  DESCENT_CUDA_POISON=1 timeout 300 "$exe" tests --device cuda --skip Every_kernel_of_a_family --json "$out/tests.json"
  echo "tests exit code $?"

  echo "== descent bench --device cuda"
  timeout 140 "$exe" descent bench --device cuda --json >"$out/descent-bench.json"
  echo "bench exit code $?"
  cat "$out/descent-bench.json"

  echo "== PyTorch on the same card"
  PYTHONUNBUFFERED=1 timeout 100 python3 $here/peer_cuda.py >"$out/peer.json"
  echo "peer exit code $?"
  cat "$out/peer.json"

  python3 $here/report.py "$out" || echo "report.py failed"
}

case "${1:-}" in
  publish) publish ;;
  run) run ;;
  "") if command -v dotnet >/dev/null; then publish; else run; fi ;;
  *) echo "usage: bash bench/gpu/check.sh [publish|run]" >&2; exit 2 ;;
esac
