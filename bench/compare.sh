#!/usr/bin/env bash
# Runs Descent's and PyTorch's benchmark cases on this machine, one after the other, and prints a table of
# Descent vs PyTorch per case with the ratio. Writes BENCHMARKS.md at the repository root.
# Usage: bench/compare.sh [threads]      (needs root the first time: peer.sh installs Debian's python3-torch)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
threads="${1:-2}"
peer="$root/../shared/bench/peer.sh"
[ -x "$peer" ] || peer="$(dirname "$root")/shared/bench/peer.sh"
work="$(mktemp -d)"
dotnet build "$root/src/Descent.Cli" -c Release -nologo -v quiet >/dev/null
dotnet "$root/src/Descent.Cli/bin/Release/net10.0/Descent.Cli.dll" bench --json --threads "$threads" > "$work/descent.json"
bash "$peer" "$threads" > "$work/peer.json"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
python3 - "$work/descent.json" "$work/peer.json" "$root/BENCHMARKS.md" "$cpu" "$threads" <<'PY'
import json, sys, datetime
descent, peer = (json.load(open(p)) for p in sys.argv[1:3])
out, cpu, threads = sys.argv[3], sys.argv[4], sys.argv[5]
targets = {"sgemm_256": ("≥", 0.9), "sgemm_512": ("≥", 1.0), "sgemm_1024": ("≥", 1.0), "sgemm_2048": ("≥", 1.0),
           "mlp_step_b128": ("≤", 0.4), "linreg_epoch": ("≤", 0.05), "add_4m": ("≤", 1.0), "exp_4m": ("≤", 1.0),
           "sum_4m": ("≤", 1.0), "xent_1024x1000": ("≤", 1.0)}
p = {c["name"]: c for c in peer["cases"]}
rows = ["| case | unit | Descent | PyTorch | Descent / PyTorch | target | met |", "| --- | --- | ---: | ---: | ---: | --- | --- |"]
for c in descent["cases"]:
    q = p.get(c["name"])
    if q is None:
        continue
    ratio = c["value"] / q["value"]
    op, goal = targets.get(c["name"], ("", None))
    met = "" if goal is None else ("yes" if (ratio >= goal if op == "≥" else ratio <= goal) else "**no**")
    rows.append(f"| {c['name']} | {c['unit']} | {c['value']:.4g} | {q['value']:.4g} | {ratio:.3f} | {op} {goal} | {met} |")
table = "\n".join(rows)
print(table)
with open(out, "w") as f:
    f.write(f"""# Benchmarks

Descent against PyTorch on the same machine, in one run of `bench/compare.sh` (best of 5 rounds after a warm-up,
as `shared/bench/peer.py` measures). For GFLOP/s higher is better; for times lower is better. The ratio is
Descent's value over PyTorch's; the target column is the one issue #5 sets.

- Date: {datetime.date.today().isoformat()}
- CPU: {cpu}, {threads} threads
- Descent: {descent['runner']}
- Peer: {peer['runner']}

{table}
""")
PY
echo "wrote $root/BENCHMARKS.md"
