#!/usr/bin/env bash
# Runs `descent bench` alternately with quick JIT on (.NET's default: methods start in unoptimised tier-0 code, as
# in any program that references Descent) and off (every method fully optimised on first use), and prints each
# run's values and, per case, the ratio of the medians (quick JIT on / off; 1.00 means the JIT setting does not matter).
# Usage: bench/jit_modes.sh [runs per mode] [threads] [cases]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
threads="${2:-2}"
cases="${3:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build "$root/src/Descent.Cli" -c Release -nologo -v quiet >/dev/null
for ((r = 1; r <= runs; r++)); do
  for q in 1 0; do
    DOTNET_TC_QuickJit=$q dotnet "$root/src/Descent.Cli/bin/Release/net10.0/Descent.Cli.dll" bench --json --threads "$threads" \
      ${cases:+--cases "$cases"} > "$work/q$q-$r.json"
  done
done
python3 - "$work" "$runs" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
load = lambda q, r: {c["name"]: c for c in json.load(open(f"{work}/q{q}-{r}.json"))["cases"]}
on, off = [load(1, r) for r in range(1, runs + 1)], [load(0, r) for r in range(1, runs + 1)]
print("| case | unit | quick JIT on (each run) | quick JIT off (each run) | on / off (medians) |")
print("| --- | --- | --- | --- | ---: |")
for name, case in on[0].items():
    a, b = [r[name]["value"] for r in on], [r[name]["value"] for r in off]
    ratio = statistics.median(a) / statistics.median(b)
    if case["better"] == "higher":
        ratio = 1 / ratio  # so that above 1 always means slower with quick JIT on
    print(f"| {name} | {case['unit']} | {', '.join(f'{v:.4g}' for v in a)} | {', '.join(f'{v:.4g}' for v in b)} | {ratio:.3f} |")
print("\nThe last column is time with quick JIT on over time with it off (for GFLOP/s, the inverse of the rate ratio).")
PY
