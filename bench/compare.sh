#!/usr/bin/env bash
# Runs Descent's and PyTorch's benchmark cases on this machine, one after the other, prints a table of
# Descent vs PyTorch per case with the ratio, and records the run in BENCHMARKS.md (bench/compare.py: the
# latest run's table is rewritten, and its ratios become a new column of the every-run table).
# Usage: bench/compare.sh [--reset-runs] [threads] [case,case,...]
#   --reset-runs starts the every-run table afresh; cases default to all. Needs root the first time: peer.sh
#   installs Debian's python3-torch.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
reset=""
if [ "${1:-}" = "--reset-runs" ]; then reset="--reset-runs"; shift; fi
threads="${1:-2}"
cases="${2:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build "$root/src/Descent.Cli" -c Release -nologo -v quiet >/dev/null
load="$(cut -d' ' -f1 /proc/loadavg)"
dotnet "$root/src/Descent.Cli/bin/Release/net10.0/Descent.Cli.dll" bench --json --threads "$threads" ${cases:+--cases "$cases"} > "$work/descent.json"
bash "$root/bench/peer.sh" "$threads" "$cases" > "$work/peer.json"
python3 "$root/bench/compare.py" "$work/descent.json" "$work/peer.json" "$root/BENCHMARKS.md" "$threads" "$load" $reset
echo "updated $root/BENCHMARKS.md"
