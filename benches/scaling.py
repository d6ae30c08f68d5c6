#!/usr/bin/env python3
"""How wharf's time and peak memory grow with the number of files and with the size of a file.

Usage: benches/scaling.py [--wharf BIN] [--corpus DIR] [--out DIR] [--runs N] [--max-exp K]
                          [--no-build]

Series (each point is one `wharf check --format json --exit-zero` process; the time is the
best of --runs runs, the memory the peak resident set of that process):

- files: 1, 10, 100, 1,000, 10,000 corpus files (the corpus replicated into a temporary
  directory as often as needed);
- instructions: a Dockerfile of 10 ... 100,000 instructions (a repeating mix of RUN, ENV,
  COPY, LABEL, ARG, WORKDIR and EXPOSE);
- commands: one RUN of 10 ... 100,000 commands joined with `&&` over continuation lines;
- stages: one RUN of a pipeline of 10 ... 100,000 stages;
- services: a compose file of 10 ... 10,000 services, each depending on the one before.

It prints a Markdown table (with, for each step, the growth of the time and of the memory
divided by the growth of the size: 1.0 is linear) and writes two log-log SVG plots,
scaling-time.svg and scaling-memory.svg, into --out (default docs/). Standard library only.
"""

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 300


GNU_TIME = "/usr/bin/time"


def run_once(cmd, cwd):
    """Wall seconds, peak RSS (KiB) and CPU seconds of one process; Nones on a timeout.

    The peak comes from GNU time when it is installed: a child forked from this Python
    process would report Python's own resident set as its peak when that is larger.
    """
    report = None
    if os.access(GNU_TIME, os.X_OK):
        fd, report = tempfile.mkstemp(prefix="wharf-scaling-rss.")
        os.close(fd)
        cmd = [GNU_TIME, "-f", "%M", "-o", report] + cmd
    try:
        t, m, c = run_timed(cmd, cwd)
        if report and t is not None:
            with open(report, encoding="utf-8") as f:
                last = [line for line in f.read().split() if line.isdigit()]
            m = int(last[-1]) if last else m
        return t, m, c
    finally:
        if report:
            os.unlink(report)


def run_timed(cmd, cwd):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + TIMEOUT
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            p.returncode = os.waitstatus_to_exitcode(status)
            return time.perf_counter() - start, usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        if time.perf_counter() > deadline:
            p.kill()
            os.wait4(p.pid, 0)
            p.returncode = -9
            return None, None, None
        time.sleep(0.0005)


def measure(wharf, path, cwd, runs):
    """The best wall time, the largest peak RSS and the least CPU time of `runs` runs."""
    best_t, peak, cpu = None, None, None
    for _ in range(runs):
        t, m, c = run_once([wharf, "check", "--format", "json", "--exit-zero", path], cwd)
        if t is None:
            return None, None, None
        best_t = t if best_t is None else min(best_t, t)
        peak = m if peak is None else max(peak, m)
        cpu = c if cpu is None else min(cpu, c)
    return best_t, peak, cpu


# Generators -------------------------------------------------------------------------------

INSTRUCTIONS = [
    "RUN apt-get update && apt-get install -y --no-install-recommends curl{i} && rm -rf /var/lib/apt/lists/*",
    "ENV VAR_{i}=value{i}",
    "COPY src/file{i}.txt /app/file{i}.txt",
    'LABEL org.example.item{i}="{i}"',
    "ARG OPTION_{i}=x",
    "WORKDIR /app/dir{i}",
    "EXPOSE {port}",
    "RUN set -eux; if [ -n \"$VAR_{i}\" ]; then echo \"$VAR_{i}\" | tee /tmp/out{i}; fi",
]


def dockerfile_instructions(n):
    lines = ["FROM debian:bookworm-slim"]
    for i in range(n - 1):
        lines.append(INSTRUCTIONS[i % len(INSTRUCTIONS)].format(i=i, port=1024 + i % 60000))
    return "\n".join(lines) + "\n"


def run_commands(n):
    cmds = [f"echo step{i} > /tmp/s{i}" for i in range(n)]
    return "FROM alpine:3.20\nRUN " + " \\\n    && ".join(cmds) + "\n"


def run_stages(n):
    stages = ["cat /etc/os-release"] + [f"sed -e s/a{i}/b{i}/" for i in range(n - 1)]
    return "FROM alpine:3.20\nRUN set -o pipefail; " + " \\\n    | ".join(stages) + "\n"


def compose_services(n):
    out = ["services:"]
    for i in range(n):
        out.append(f"  svc{i}:")
        out.append(f"    image: example/app{i % 50}:1.{i % 10}")
        out.append("    restart: unless-stopped")
        out.append("    environment:")
        out.append(f"      INDEX: \"{i}\"")
        if i:
            out.append("    depends_on:")
            out.append(f"      svc{i - 1}:")
            out.append("        condition: service_started")
    return "\n".join(out) + "\n"


def corpus_files(corpus):
    files = []
    for kind in ("dockerfile", "compose"):
        for base, _dirs, names in os.walk(os.path.join(corpus, kind)):
            for name in names:
                files.append(os.path.join(base, name))
    files.sort()
    return files


def replicate(files, corpus, n, dest):
    """Copies n corpus files under dest, the corpus again in copy-1, copy-2... when needed."""
    for k in range(n):
        src = files[k % len(files)]
        rel = os.path.relpath(src, corpus)
        target = os.path.join(dest, f"copy-{k // len(files)}", rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(src, target)


# Plots --------------------------------------------------------------------------------------

COLOURS = ["#2a7ab0", "#d0683a", "#3a9a4a", "#8a4ab0", "#b09a2a"]


def plot(series, key, ylabel, path, caption):
    """A log-log line plot: one line per series of (size, value) points."""
    w, h, left, right, top, bottom = 640, 400, 70, 160, 20, 60
    pts = [(x, v) for s in series.values() for (x, v) in s if v]
    if not pts:
        return
    lx = [math.log10(x) for x, _ in pts]
    ly = [math.log10(v) for _, v in pts]
    x0, x1 = math.floor(min(lx)), math.ceil(max(lx))
    y0, y1 = math.floor(min(ly)), math.ceil(max(ly))
    x1 = max(x1, x0 + 1)
    y1 = max(y1, y0 + 1)

    def px(x):
        return left + (math.log10(x) - x0) / (x1 - x0) * (w - left - right)

    def py(v):
        return h - bottom - (math.log10(v) - y0) / (y1 - y0) * (h - top - bottom)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for e in range(x0, x1 + 1):
        x = px(10**e)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{h - bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{h - bottom + 14}" text-anchor="middle">{10**e:,}</text>')
    for e in range(y0, y1 + 1):
        y = py(10**e)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" stroke="#ddd"/>')
        label = f"{10**e:g}"
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    out.append(
        f'<text x="{(left + w - right) / 2}" y="{h - bottom + 32}" text-anchor="middle">'
        "size (files, instructions, commands, stages or services)</text>"
    )
    out.append(
        f'<text x="14" y="{(top + h - bottom) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(top + h - bottom) / 2})">{escape(ylabel)}</text>'
    )
    for i, (name, s) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        good = [(x, v) for x, v in s if v]
        if not good:
            continue
        d = " ".join(f"{'M' if j == 0 else 'L'}{px(x):.1f},{py(v):.1f}" for j, (x, v) in enumerate(good))
        out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, v in good:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(v):.1f}" r="3" fill="{colour}"/>')
        ly_ = top + 14 + 16 * i
        out.append(f'<line x1="{w - right + 12}" y1="{ly_ - 4}" x2="{w - right + 30}" y2="{ly_ - 4}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{w - right + 36}" y="{ly_}">{escape(name)}</text>')
    out.append(f'<text x="{left}" y="{h - 8}" fill="#666" font-size="10">{escape(caption)}</text>')
    out.append("</svg>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(out))
    print(f"wrote {path}", file=sys.stderr)


# Main ---------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wharf", default=os.path.join(ROOT, "target", "release", "wharf"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--max-exp", type=int, default=5, help="largest size is 10**K (default 5)")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build --release")
    args = ap.parse_args()

    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "wharf"], cwd=ROOT, check=True)
    wharf = os.path.abspath(args.wharf)
    with open("/proc/loadavg") as f:
        load_before = " ".join(f.read().split()[:3])

    sizes = [10**e for e in range(1, args.max_exp + 1)]
    gens = {
        "instructions": (dockerfile_instructions, "Dockerfile", sizes),
        "commands": (run_commands, "Dockerfile", sizes),
        "stages": (run_stages, "Dockerfile", sizes),
        "services": (compose_services, "compose.yaml", [s for s in sizes if s <= 10_000]),
    }
    results = {}
    with tempfile.TemporaryDirectory(prefix="wharf-scaling.") as tmp:
        cwd = os.path.join(tmp, "cwd")
        os.makedirs(cwd)
        files = corpus_files(os.path.abspath(args.corpus)) if os.path.isdir(args.corpus) else []
        if files:
            pts = []
            for n in [10**e for e in range(0, min(args.max_exp, 4) + 1)]:
                dest = os.path.join(tmp, f"files-{n}")
                replicate(files, os.path.abspath(args.corpus), n, dest)
                t, m, c = measure(wharf, dest, cwd, args.runs)
                size = sum(os.path.getsize(os.path.join(b, f)) for b, _, fs in os.walk(dest) for f in fs)
                print(f"files {n}: {t} s, {m} KiB", file=sys.stderr)
                pts.append((n, size, t, m, c))
                shutil.rmtree(dest)
            results["files"] = pts
        else:
            print(f"no corpus at {args.corpus}: the files series is skipped", file=sys.stderr)
        for name, (gen, fname, ns) in gens.items():
            pts = []
            for n in ns:
                d = os.path.join(tmp, f"{name}-{n}")
                os.makedirs(d)
                path = os.path.join(d, fname)
                text = gen(n)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                t, m, c = measure(wharf, path, cwd, args.runs)
                print(f"{name} {n}: {t} s, {m} KiB", file=sys.stderr)
                pts.append((n, len(text.encode()), t, m, c))
            results[name] = pts

    with open("/proc/loadavg") as f:
        load_after = " ".join(f.read().split()[:3])
    version = subprocess.run([wharf, "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"## wharf scaling ({version}, {commit})\n")
    print(f"- machine: {os.cpu_count()} cores; load average before: {load_before}, after: {load_after}")
    print(f"- time: best of {args.runs} runs of one process (wall; CPU is user + system, least of")
    print("  the runs: on a loaded machine the CPU time is the steadier one); memory: peak resident set\n")
    print("| series | size | bytes | wall s | CPU s | peak MB | CPU growth / size growth | memory growth / size growth |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, pts in results.items():
        prev = None
        for n, size, t, m, c in pts:
            tg = mg = ""
            if prev and c and prev[4] and m and prev[3]:
                grow = size / prev[1]
                tg = f"{(c / prev[4]) / grow:.2f}"
                # Memory: the growth above the process's fixed size (the smallest point).
                base = pts[0][3]
                if m > base and prev[3] > base:
                    mg = f"{((m - base) / (prev[3] - base)) / grow:.2f}"
            ts = f"{t:.4f}" if t else "timeout"
            cs = f"{c:.3f}" if c is not None else ""
            ms = f"{m / 1024:.1f}" if m else ""
            print(f"| {name} | {n:,} | {size:,} | {ts} | {cs} | {ms} | {tg} | {mg} |")
            prev = (n, size, t, m, c)
    caption = f"benches/scaling.py, {time.strftime('%Y-%m-%d', time.gmtime())}, {commit}, load {load_before}"
    os.makedirs(args.out, exist_ok=True)
    plot({k: [(n, c) for n, _, _, _, c in v] for k, v in results.items()}, "t", "CPU time (s)",
         os.path.join(args.out, "scaling-time.svg"), caption)
    plot({k: [(n, m / 1024 if m else None) for n, _, _, m, _ in v] for k, v in results.items()}, "m",
         "peak memory (MB)", os.path.join(args.out, "scaling-memory.svg"), caption)


if __name__ == "__main__":
    main()
