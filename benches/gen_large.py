#!/usr/bin/env python3
"""Generate large Dockerfiles for the memory measurements in docs/performance.md.

Usage: gen_large.py KIND SIZE_MIB > Dockerfile

KIND is one of:
  mixed   RUN-heavy: apt-get and pip installs with continuation lines, heredocs, and cleanups
  huge    one single RUN: a long `&&` chain of commands with pipelines
  small   many small one-line RUNs

The output is deterministic: the same arguments always give the same bytes.
"""
import sys


def mixed(i):
    return (
        f"RUN apt-get update \\\n"
        f"    && apt-get install -y --no-install-recommends \\\n"
        f"       curl=7.{i % 90}.0-1 ca-certificates git-{i} libssl-dev \\\n"
        f"       build-essential python3-pip \\\n"
        f"    && pip install --no-cache-dir requests=={i % 9}.2 flask numpy \\\n"
        f"    && curl -fsSL https://example.com/pkg-{i}.tar.gz | tar -xz -C /opt \\\n"
        f"    && rm -rf /var/lib/apt/lists/*\n"
        f"RUN <<EOF\n"
        f"set -eux\n"
        f"echo \"step {i}\" > /etc/step-{i}\n"
        f"if [ -f /etc/os-release ]; then cat /etc/os-release; fi\n"
        f"EOF\n"
        f"ENV STEP_{i}=value-{i}\n"
    )


def huge(i):
    return (
        f"    && apt-get install -y pkg-{i}=1.{i} \\\n"
        f"    && curl -fsSL https://example.com/{i} | grep -v x | sort -u > /tmp/{i} \\\n"
    )


def small(i):
    return f"RUN echo {i} > /tmp/f{i} && apt-get install -y p{i}\n"


def main():
    kind, mib = sys.argv[1], float(sys.argv[2])
    limit = int(mib * 1024 * 1024)
    out = sys.stdout
    head = "FROM debian:12\n"
    if kind == "huge":
        head += "RUN true \\\n"
    out.write(head)
    size = len(head)
    step = {"mixed": mixed, "huge": huge, "small": small}[kind]
    tail = "    && true\n" if kind == "huge" else 'CMD ["sh"]\n'
    i = 0
    while True:
        chunk = step(i)
        if size + len(chunk) + len(tail) > limit:
            break
        out.write(chunk)
        size += len(chunk)
        i += 1
    out.write(tail)


if __name__ == "__main__":
    main()
