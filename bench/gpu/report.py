#!/usr/bin/env python3
"""Combines one GPU check's outputs (tests.json, descent-bench.json, peer.json in FOLDER) into report.json and
report.txt beside them: the test counts and failures, and per bench case Descent, PyTorch, their ratio and issue 9's
target for it.

    python3 bench/gpu/report.py FOLDER
"""
import json, os, sys

# Issue 9's targets: the ratio Descent / PyTorch for times (lower is better), PyTorch / Descent for rates.
TARGETS = {"sgemm_4096": 1 / 0.95, "add_64m": 1.1, "exp_64m": 1.1, "sum_64m": 1.1, "xent_4096x32000": 1.0,
           "fit_step_b128": 0.5, "fit_step_b4096": 1.0, "fit_digits_60_epochs": 1.0}


def load(folder, name):
    try:
        with open(os.path.join(folder, name)) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"error": f"{name}: {e}"}


def partial_tests(folder):
    """What tests.jsonl says when the run was cut short before tests.json was written."""
    try:
        with open(os.path.join(folder, "tests.jsonl")) as f:
            results = [json.loads(line) for line in f if line.strip()]
    except OSError as e:
        return {"error": f"tests.json and tests.jsonl: {e}"}
    results = [{k.lower(): v for k, v in r.items()} for r in results]
    count = lambda o: sum(1 for r in results if r.get("outcome") == o)
    return {"device": "cuda (cut short: counts from tests.jsonl)", "passed": count("passed"), "failed": count("failed"),
            "skipped": count("skipped"), "results": results, "error": "the test run did not finish (time limit?)"}


def main(folder):
    tests, descent, peer = load(folder, "tests.json"), load(folder, "descent-bench.json"), load(folder, "peer.json")
    if "error" in tests:
        tests = partial_tests(folder)
    ours = {c["name"]: c for c in descent.get("cases", [])}
    theirs = {c["name"]: c for c in peer.get("cases", [])}
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
    report = {"tests": {k: tests.get(k) for k in ("device", "passed", "failed", "skipped", "seconds", "error")},
              "failures": [r for r in tests.get("results", []) if r.get("outcome") == "failed"],
              "descent_runner": descent.get("runner"), "pytorch_runner": peer.get("runner"), "cases": rows,
              "errors": [x["error"] for x in (tests, descent, peer) if "error" in x]}
    with open(os.path.join(folder, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    lines = [f"tests on {report['tests'].get('device')}: {report['tests'].get('passed')} passed, {report['tests'].get('failed')} failed, "
             f"{report['tests'].get('skipped')} skipped",
             *[f"  FAILED {r['name']}: {(r.get('message') or '').splitlines()[0] if r.get('message') else ''}" for r in report["failures"]],
             f"descent: {report['descent_runner']}", f"pytorch: {report['pytorch_runner']}", "",
             f"{'case':24} {'unit':8} {'descent':>12} {'pytorch':>12} {'ratio':>8} {'target':>8}  met"]
    for r in rows:
        fmt = lambda v: "-" if v is None else f"{v:.4g}"
        lines.append(f"{r['case']:24} {r['unit']:8} {fmt(r['descent']):>12} {fmt(r['pytorch']):>12} {fmt(r['ratio']):>8} "
                     f"{fmt(r['target']):>8}  {'-' if r['met'] is None else ('yes' if r['met'] else 'NO')}")
    lines += [f"error: {e}" for e in report["errors"]]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(folder, "report.txt"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/gpu/out")
