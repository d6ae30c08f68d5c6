#!/usr/bin/env python3
"""Draw the accuracy sample of docs/accuracy.md: N findings of one rule, at random with a fixed seed.

usage (from the project root):
  cargo build --release
  cargo run --release -q -- check --format json ../shared/corpus > /tmp/findings.json
  benches/accuracy_sample.py /tmp/findings.json CODE [--seed 6] [--n 30] [--context 3]

Findings are sorted by (file, line, column, message) before sampling, so the same findings give the
same sample on every machine. For each sampled finding it prints file:line (relative to the corpus),
the message and the lines around it, to be judged by reading the file. With --count it prints only
the number of findings and of distinct files for the code.
"""
import argparse, json, os, random

ap = argparse.ArgumentParser()
ap.add_argument("findings")
ap.add_argument("code")
ap.add_argument("--seed", type=int, default=6)
ap.add_argument("--n", type=int, default=30)
ap.add_argument("--context", type=int, default=3)
ap.add_argument("--count", action="store_true")
a = ap.parse_args()

findings = [f for f in json.load(open(a.findings)) if f.get("code") == a.code]
findings.sort(key=lambda f: (f["file"], f["line"], f["column"], f["message"]))
if a.count:
    print(f"{a.code}: {len(findings)} findings in {len({f['file'] for f in findings})} files")
    raise SystemExit
sample = random.Random(a.seed).sample(findings, min(a.n, len(findings)))
for i, f in enumerate(sample, 1):
    path = f["file"]
    short = path.split("/corpus/", 1)[-1]
    print(f"## {i}. {short}:{f['line']}  {f['message']}")
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    except OSError as e:
        print(f"   (cannot read: {e})")
        continue
    lo, hi = max(0, f["line"] - 1 - a.context), min(len(lines), f["end_line"] + a.context)
    for n in range(lo, hi):
        mark = ">" if f["line"] - 1 <= n < f["end_line"] else " "
        print(f"{mark}{n + 1:5} {lines[n][:160]}")
    print()
