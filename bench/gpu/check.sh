#!/usr/bin/env bash
# The GPU check of issue 9, in two halves (bench/gpu/README.md says how the device tool is called):
#
#   bash bench/gpu/check.sh publish      here, with the .NET SDK: publishes bench/gpu/Runner (the device-axis tests and
#                                        `descent`, one self-contained trimmed linux-x64 program) into
#                                        bench/gpu/payload/gpucheck-linux-x64.tar.xz and checks it is under 60 MiB.
#   bash bench/gpu/check.sh run tests    on the GPU machine (no SDK; Python with PyTorch for CUDA): unpacks the payload
#                                        and runs the cuda copies of the test suites;
#   bash bench/gpu/check.sh run bench    there, `descent bench --device cuda` (the kernel, MLP and transformer cases,
#                                        then 10,000 fit steps for the memory numbers), bench/gpu/peer_cuda.py on the
#                                        same card, and last the 60-epoch digits run on both sides;
#   bash bench/gpu/check.sh run          both phases, one after the other (more than one device call's 600 s).
#
# Each phase fits one call of the device tool: every step has its own time limit, cut to what is left of the phase's
# 540 s, so the report is always written. A phase writes its raw outputs, log-PHASE.txt, report.txt and report.json
# under $OUT (or bench/gpu/out when OUT is unset); report.py reports whatever outputs it finds there.
#
# With no argument it publishes where `dotnet` exists and runs both phases where it does not.
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

# The phase's seconds; within() cuts every step's limit to what is left of them.
budget_s=540
deadline=0

# within SECONDS COMMAND...: runs COMMAND for at most SECONDS, or for what is left of the phase if that is less.
within() {
  local want=$1 left=$((deadline - SECONDS))
  shift
  if [ "$left" -lt 10 ]; then
    echo "skipped, the phase's ${budget_s} s are spent: $*" >&2
    return 124
  fi
  timeout $((want < left ? want : left)) "$@"
}

# The fast cases, whose numbers matter most, run first; a time limit kills a `descent bench` before it prints, so
# the long cases run apart and a timeout loses only them.
quick_cases=sgemm_4096,add_64m,exp_64m,sum_64m,xent_4096x32000,fit_step_b128,fit_step_b4096,babygpt_step

run() {
  local phase=$1
  local out=${OUT:-$here/out}
  mkdir -p "$out"
  exec > >(tee "$out/log-$phase.txt") 2>&1
  deadline=$((SECONDS + budget_s))
  [ "$phase" = all ] && deadline=$((deadline + budget_s))
  [ -f "$payload" ] || { echo "no $payload: run 'bash bench/gpu/check.sh publish' where the .NET SDK is, and carry bench/gpu/payload"; exit 1; }
  # Unpacked inside the checkout: some suites find README.md and their sources by walking up from the program.
  local work=$PWD/$here/payload/run
  rm -rf "$work" && mkdir -p "$work" && xz -dc "$payload" | tar -C "$work" -xf -
  exe=$work/gpucheck/Descent.GpuCheck
  export DESCENT_CUDA_CACHE=$work/kernel-cache DOTNET_CLI_TELEMETRY_OPTOUT=1
  echo "== machine"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv 2>&1 | head -3
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' 2>&1

  echo "== finding the CUDA libraries on our own (no DESCENT_CUDA_LIBS)"
  if ! within 45 "$exe" device cuda; then
    # Fall back on the Python environment's wheels, named explicitly; the probe's message says why.
    DESCENT_CUDA_LIBS=$(python3 -c 'import glob, site; print(":".join(sorted({f for p in site.getsitepackages() for f in glob.glob(p + "/nvidia/*/lib")})))')
    export DESCENT_CUDA_LIBS
    echo "discovery failed (see above); DESCENT_CUDA_LIBS=$DESCENT_CUDA_LIBS"
  fi

  case $phase in
    tests) run_tests "$out" ;;
    bench) run_bench "$out" ;;
    all) run_tests "$out"; run_bench "$out" ;;
  esac
  echo "== report (${SECONDS} s in)"
  python3 $here/report.py "$out" || echo "report.py failed"
}

run_tests() {
  local out=$1
  echo "== device-axis tests on cuda"
  # Unzeroed buffers start as all ones, so a kernel that leaves elements unwritten shows it. The whole-catalogue NVRTC
  # compile of Descent.Cuda.Tests is left out: CI runs it, and here every kernel the suites use is compiled anyway.
  within 330 env DESCENT_CUDA_POISON=1 "$exe" tests --device cuda --skip Every_kernel_of_a_family --json "$out/tests.json"
  echo "tests exit code $?"
}

# descent_bench OUTPUT LIMIT ARGS...: one `descent bench --device cuda --json` into OUTPUT, shown in the log.
descent_bench() {
  local output=$1 limit=$2
  shift 2
  within "$limit" "$exe" descent bench --device cuda --json "$@" >"$output"
  echo "exit code $?"
  cat "$output"
}

run_bench() {
  local out=$1
  echo "== descent bench --device cuda: the kernels, the MLP steps and the baby GPT"
  descent_bench "$out/descent-bench.json" 110 --cases "$quick_cases"
  echo "== descent bench --device cuda: nanoGPT's shakespeare-char step"
  descent_bench "$out/descent-bench-nanogpt.json" 100 --cases nanogpt_shakespeare_char_step
  echo "== descent bench --device cuda --memory: 10,000 fit_step_b128 steps"
  descent_bench "$out/descent-memory.json" 60 --cases "" --memory --memory-steps 10000

  echo "== PyTorch on the same card"
  within 80 env PYTHONUNBUFFERED=1 python3 $here/peer_cuda.py "$quick_cases,nanogpt_shakespeare_char_step" >"$out/peer.json"
  echo "peer exit code $?"
  cat "$out/peer.json"

  echo "== the 60-epoch digits run, Descent then PyTorch"
  descent_bench "$out/descent-bench-digits.json" 70 --cases fit_digits_60_epochs
  within 45 env PYTHONUNBUFFERED=1 python3 $here/peer_cuda.py fit_digits_60_epochs >"$out/peer-digits.json"
  echo "peer exit code $?"
  cat "$out/peer-digits.json"
}

usage() { echo "usage: bash bench/gpu/check.sh [publish | run [tests|bench]]" >&2; exit 2; }
case "${1:-}" in
  publish) publish ;;
  run)
    case "${2:-all}" in
      tests | bench | all) run "${2:-all}" ;;
      *) usage ;;
    esac ;;
  "") if command -v dotnet >/dev/null; then publish; else run all; fi ;;
  *) usage ;;
esac
