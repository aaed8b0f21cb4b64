#!/usr/bin/env bash
# Runs the PyTorch/NumPy side of the benchmark on this machine and prints its JSON.
# Usage: bench/peer.sh [threads] [case,case...]   (installs Debian's packages on first use; needs root)
set -euo pipefail
if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy libopenblas0-pthread >/dev/null
fi
# OpenBLAS may be set up here to use its Haswell kernel; for the benchmark let it choose its own (AVX-512 where present).
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
# Debian's OpenBLAS 0.3.21 does not know every AVX-512 processor: it takes a recent Xeon for a Prescott and runs an
# SSE3 kernel (numpy's sgemm_1024: about 50 GFLOP/s on 2 cores, against 200-220 with its AVX-512 kernel). Where the
# CPU has AVX-512 and OpenBLAS picked a kernel without it, name its AVX-512 kernel.
core="$(OPENBLAS_VERBOSE=2 /usr/bin/python3 -c 'import numpy' 2>&1 | sed -n 's/^Core: //p')"
if grep -qw avx512f /proc/cpuinfo && [[ ! "$core" =~ ^(SkylakeX|Cooperlake|SapphireRapids)$ ]]; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
exec /usr/bin/python3 "$(dirname "$0")/peer.py" "${1:-2}" "${2:-}"
