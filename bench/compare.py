#!/usr/bin/env python3
"""Compares one `descent bench --json` run with one bench/peer.py run and records it in BENCHMARKS.md.

Usage: compare.py DESCENT_JSON PEER_JSON BENCHMARKS_MD THREADS LOAD_AVERAGE [--reset-runs]

Prints the comparison table. In BENCHMARKS.md it rewrites the block between the "latest run" markers with this run's
values, and adds this run's ratios as a new column of the "every run" table (a new table with --reset-runs, or when
the markers are missing). Text outside the markers is left as it is.
"""
import datetime
import json
import subprocess
import sys

# The target for each case's ratio Descent / PyTorch (issue #5 and the issues after it).
TARGETS = {
    "sgemm_256": ("≥", 0.9),
    "sgemm_512": ("≥", 1.0),
    "sgemm_1024": ("≥", 1.0),
    "sgemm_2048": ("≥", 1.0),
    "mlp_step_b128": ("≤", 0.4),
    "linreg_epoch": ("≤", 0.05),
    "add_4m": ("≤", 1.0),
    "exp_4m": ("≤", 1.0),
    "sum_4m": ("≤", 1.0),
    "xent_1024x1000": ("≤", 1.0),
    "fit_step_b128": ("≤", 0.4),
    "fit_digits_60_epochs": ("≤", 0.5),
    "cnn_digits_20_epochs": ("≤", 1.0),
    "babygpt_step": ("≤", 0.7),
}

LATEST_BEGIN, LATEST_END = "<!-- latest run: written by bench/compare.sh -->", "<!-- end of latest run -->"
RUNS_BEGIN, RUNS_END = "<!-- every run: bench/compare.sh adds a column per run -->", "<!-- end of every run -->"


def target_text(name):
    op, goal = TARGETS.get(name, ("", None))
    return "" if goal is None else f"{op} {goal}"


def met(name, ratio):
    op, goal = TARGETS.get(name, ("", None))
    if goal is None:
        return ""
    return "yes" if (ratio >= goal if op == "≥" else ratio <= goal) else "**no**"


def ratios(descent, peer):
    """(case, Descent's case, PyTorch's case, ratio) for every case both ran, in Descent's order."""
    theirs = {c["name"]: c for c in peer["cases"]}
    return [(c["name"], c, theirs[c["name"]], c["value"] / theirs[c["name"]]["value"]) for c in descent["cases"] if c["name"] in theirs]


def latest_block(rows, descent, peer, when, threads, cpu, commit, load):
    table = ["| case | unit | Descent | PyTorch | Descent / PyTorch | target | met |",
             "| --- | --- | ---: | ---: | ---: | --- | --- |"]
    for name, ours, theirs, ratio in rows:
        table.append(f"| {name} | {ours['unit']} | {ours['value']:.4g} | {theirs['value']:.4g} | {ratio:.3f} | {target_text(name)} | {met(name, ratio)} |")
    return "\n".join([
        LATEST_BEGIN,
        f"- When: {when}, commit {commit}; load average {load} just before the run",
        f"- CPU: {cpu}, {threads} threads",
        f"- Descent: {descent['runner']}",
        f"- Peer: {peer['runner']}",
        "",
        *table,
        LATEST_END,
    ])


def parse_runs(block):
    """The every-run table inside the markers: (run labels, {case: (target, [cells])}, notes)."""
    labels, cases, notes = [], {}, []
    for line in block.splitlines():
        if line.startswith("| case |"):
            labels = [c.strip() for c in line.strip().strip("|").split("|")][2:]
        elif line.startswith("| ---"):
            continue
        elif line.startswith("| "):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            cases[cells[0]] = (cells[1], cells[2:])
        elif line.startswith("- run "):
            notes.append(line)
    return labels, cases, notes


def runs_block(previous, rows, descent, peer, when, commit, load):
    labels, cases, notes = parse_runs(previous)
    label = f"run {len(labels) + 1}"
    labels.append(label)
    for name, _, _, ratio in rows:
        target, cells = cases.get(name, (target_text(name), []))
        cells = cells + [""] * (len(labels) - 1 - len(cells))
        mark = "" if met(name, ratio) != "**no**" else " ✗"
        cases[name] = (target_text(name) or target, cells + [f"{ratio:.3f}{mark}"])
    for name, (target, cells) in cases.items():
        cases[name] = (target, cells + [""] * (len(labels) - len(cells)))
    notes.append(f"- {label}: {when}, commit {commit}, load average {load} before it; {descent['runner']}; {peer['runner']}")
    lines = [RUNS_BEGIN, "| case | target | " + " | ".join(labels) + " |", "| --- | --- | " + " | ".join("---:" for _ in labels) + " |"]
    lines += [f"| {name} | {target} | " + " | ".join(cells) + " |" for name, (target, cells) in cases.items()]
    return "\n".join(lines + ["", "Ratios Descent / PyTorch; ✗ marks a missed target.", "", *notes, RUNS_END])


def replace_between(text, begin, end, block):
    if begin in text and end in text:
        return text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    return None


def main():
    descent_path, peer_path, out, threads, load = sys.argv[1:6]
    reset = "--reset-runs" in sys.argv[6:]
    descent, peer = json.load(open(descent_path)), json.load(open(peer_path))
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "unknown CPU")
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    commit = subprocess.run(["git", "-C", sys.path[0], "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip() or "?"
    rows = ratios(descent, peer)
    latest = latest_block(rows, descent, peer, when, threads, cpu, commit, load)
    print("\n".join(line for line in latest.splitlines() if not line.startswith("<!--")))

    try:
        text = open(out).read()
    except FileNotFoundError:
        text = "# Benchmarks\n\n" + LATEST_BEGIN + "\n" + LATEST_END + "\n\n## Every run\n\n" + RUNS_BEGIN + "\n" + RUNS_END + "\n"
    text = replace_between(text, LATEST_BEGIN, LATEST_END, latest) or text.rstrip() + "\n\n" + latest + "\n"
    previous = "" if reset or RUNS_BEGIN not in text else text[text.index(RUNS_BEGIN):text.index(RUNS_END)]
    runs = runs_block(previous, rows, descent, peer, when, commit, load)
    text = replace_between(text, RUNS_BEGIN, RUNS_END, runs) or text.rstrip() + "\n\n## Every run\n\n" + runs + "\n"
    with open(out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
