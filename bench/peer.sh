#!/usr/bin/env bash
# Runs the PyTorch/NumPy side of the benchmark on this machine and prints its JSON.
# Usage: bench/peer.sh [threads] [case,case...]   (installs Debian's packages on first use; needs root)
set -euo pipefail
if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy libopenblas0-pthread >/dev/null
fi
# OpenBLAS is set up here to use its Haswell kernel; for the benchmark let it choose its own (AVX-512 where present).
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$(dirname "$0")/peer.py" "${1:-2}" "${2:-}"
