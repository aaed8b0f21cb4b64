#!/usr/bin/env python3
"""Combines one GPU check's outputs in FOLDER into report.json and report.txt beside them: the test counts and
failures (tests.json, or tests.jsonl when the run was cut short), per bench case Descent (descent-*.json), PyTorch
(peer*.json), their ratio and issue 9's target for it, and the GPU memory over the long fit_step_b128 run
(descent-memory.json). Each phase of bench/gpu/check.sh leaves only its own outputs, and what is absent is not reported.

    python3 bench/gpu/report.py FOLDER
"""
import glob, json, os, sys

# Issue 9's targets: the ratio Descent / PyTorch for times (lower is better), PyTorch / Descent for rates.
TARGETS = {"sgemm_4096": 1 / 0.95, "add_64m": 1.1, "exp_64m": 1.1, "sum_64m": 1.1, "xent_4096x32000": 1.0,
           "fit_step_b128": 0.5, "fit_step_b4096": 1.0, "fit_digits_60_epochs": 1.0,
           "babygpt_step": 1.0, "nanogpt_shakespeare_char_step": 1.0}


def load(path):
    try:
        with open(path) as f:
            text = f.read()
        if not text.strip():
            return {"error": f"{os.path.basename(path)} is empty: its step failed or ran out of time (see log-*.txt)"}
        return json.loads(text)
    except (OSError, ValueError) as e:
        return {"error": f"{os.path.basename(path)}: {e}"}


def load_tests(folder):
    """tests.json, or what tests.jsonl says when the run was cut short before tests.json was written; None when neither is there."""
    full = load(os.path.join(folder, "tests.json")) if os.path.exists(os.path.join(folder, "tests.json")) else None
    if (full and "error" not in full) or not os.path.exists(os.path.join(folder, "tests.jsonl")):
        return full
    with open(os.path.join(folder, "tests.jsonl")) as f:
        results = [json.loads(line) for line in f if line.strip()]
    results = [{k.lower(): v for k, v in r.items()} for r in results]
    count = lambda o: sum(1 for r in results if r.get("outcome") == o)
    return {"device": "cuda (cut short: counts from tests.jsonl)", "passed": count("passed"), "failed": count("failed"),
            "skipped": count("skipped"), "results": results, "error": "the test run did not finish (time limit?)"}


def memory_summary(m):
    """The memory run's numbers and whether they held flat: after warm-up, the peak and (where the allocator caches)
    the reserved bytes may pass the warm-up's by at most one step's allocation, the rule of
    tests/Descent.Cli.Tests/MemoryProbeTests.cs."""
    warmup, end, step = m["warmup"], m["end"], m["bytes_per_step"]
    growth = []
    if end["peak_allocated_bytes"] > warmup["peak_allocated_bytes"] + step:
        growth.append(f"peak allocated {end['peak_allocated_bytes']:,} B after warm-up, {warmup['peak_allocated_bytes']:,} B during it")
    caches = end["reserved_bytes"] != end["allocated_bytes"] or warmup["reserved_bytes"] != warmup["allocated_bytes"]
    if caches and end["reserved_bytes"] > warmup["reserved_bytes"] + step:
        growth.append(f"reserved {end['reserved_bytes']:,} B at the end, {warmup['reserved_bytes']:,} B after warm-up")
    return {**m, "flat": not growth, "growth": growth}


def memory_lines(m):
    mib = lambda b: f"{b / 1048576:.1f} MiB"
    stage = lambda s: f"allocated {mib(s['allocated_bytes'])}, reserved {mib(s['reserved_bytes'])}, peak {mib(s['peak_allocated_bytes'])}"
    return [f"memory on {m['device']}: {m['steps']:,} fit_step_b128 steps, {m['warmup_steps']:,} of them warm-up, "
            f"{mib(m['bytes_per_step'])} allocated per step",
            f"  after warm-up: {stage(m['warmup'])}",
            f"  at the end:    {stage(m['end'])} (peak since warm-up)",
            f"  gen-2 collections after warm-up: {m.get('gen2_collections_after_warmup')}",
            f"  flat: {'yes' if m['flat'] else 'NO: ' + '; '.join(m['growth'])}"]


def main(folder):
    tests = load_tests(folder)
    descents = [load(p) for p in sorted(glob.glob(os.path.join(folder, "descent-*.json")))]
    peers = [load(p) for p in sorted(glob.glob(os.path.join(folder, "peer*.json")))]
    ours = {c["name"]: c for d in descents for c in d.get("cases", [])}
    theirs = {c["name"]: c for p in peers for c in p.get("cases", [])}
    memory = next((memory_summary(d["memory"]) for d in descents if d.get("memory")), None)
    rows = []
    for name in sorted(set(ours) | set(theirs)):
        a, b = ours.get(name), theirs.get(name)
        ratio = None
        if a and b and a["value"] and b["value"]:
            # Always "Descent's cost over PyTorch's": times divide directly, rates the other way round.
            ratio = a["value"] / b["value"] if a["better"] == "lower" else b["value"] / a["value"]
        target = TARGETS.get(name)
        rows.append({"case": name, "unit": (a or b)["unit"], "descent": a and a["value"], "pytorch": b and b["value"],
                     "ratio": ratio, "target": target, "met": None if ratio is None or target is None else ratio <= target})
    runner = lambda outputs: next((o["runner"] for o in outputs if o.get("runner")), None)
    report = {"tests": tests and {k: tests.get(k) for k in ("device", "passed", "failed", "skipped", "seconds", "error")},
              "failures": [r for r in (tests or {}).get("results", []) if r.get("outcome") == "failed"],
              "descent_runner": runner(descents), "pytorch_runner": runner(peers), "cases": rows, "memory": memory,
              "errors": [x["error"] for x in [tests or {}, *descents, *peers] if "error" in x]}
    with open(os.path.join(folder, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    lines = []
    if tests:
        t = report["tests"]
        lines += [f"tests on {t.get('device')}: {t.get('passed')} passed, {t.get('failed')} failed, {t.get('skipped')} skipped",
                  *[f"  FAILED {r['name']}: {(r.get('message') or '').splitlines()[0] if r.get('message') else ''}" for r in report["failures"]]]
    if descents or peers:
        lines += [f"descent: {report['descent_runner']}", f"pytorch: {report['pytorch_runner']}", "",
                  f"{'case':30} {'unit':8} {'descent':>12} {'pytorch':>12} {'ratio':>8} {'target':>8}  met"]
        fmt = lambda v: "-" if v is None else f"{v:.4g}"
        for r in rows:
            lines.append(f"{r['case']:30} {r['unit']:8} {fmt(r['descent']):>12} {fmt(r['pytorch']):>12} {fmt(r['ratio']):>8} "
                         f"{fmt(r['target']):>8}  {'-' if r['met'] is None else ('yes' if r['met'] else 'NO')}")
    if memory:
        lines += ["", *memory_lines(memory)]
    if not (tests or descents or peers):
        lines.append(f"no outputs of bench/gpu/check.sh in {folder}")
    lines += [f"error: {e}" for e in report["errors"]]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(folder, "report.txt"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/gpu/out")
