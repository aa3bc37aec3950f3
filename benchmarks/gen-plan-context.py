#!/usr/bin/env python3
"""Generates the planning benchmark: a context of N files (default 50,000, 1-4 KiB each,
200 directories) and a recipe with 200 stages, each copying one directory and running a
step, and a final stage copying from every one of them. Usage: gen-plan-context.py DEST [FILES]"""
import os
import random
import sys

dest = sys.argv[1]
files = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
rng = random.Random(7)
dirs = 200
per = files // dirs
for d in range(dirs):
    path = os.path.join(dest, "src", f"d{d:03d}")
    os.makedirs(path, exist_ok=True)
    for f in range(per):
        with open(os.path.join(path, f"f{f:04d}.txt"), "wb") as fh:
            fh.write(rng.randbytes(rng.randint(1024, 4096)))
lines = ["# syntax=docker/dockerfile:1", "ARG BASE=localhost:5000/mab/busybox:1.35"]
for s in range(dirs):
    platform = "--platform=$BUILDPLATFORM " if s % 4 == 0 else ""
    lines += [f"FROM {platform}${{BASE}} AS s{s:03d}", "ARG TARGETARCH", f"WORKDIR /work/{s}",
              f"COPY src/d{s:03d}/ ./", f"RUN ls | wc -l > /count-{s}"]
lines += ["FROM ${BASE}"] + [f"COPY --from=s{s:03d} /count-{s} /counts/" for s in range(dirs)]
lines += ['CMD ["cat", "/counts"]']
with open(os.path.join(dest, "Dockerfile"), "w") as fh:
    fh.write("\n".join(lines) + "\n")
print(f"{dirs * per} files in {dirs} directories, {len(lines)}-line recipe in {dest}")
