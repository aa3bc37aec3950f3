#!/usr/bin/env python3
"""Generates the big build context of the build benchmark (benchmarks/build-peers.sh, R2).

FILES small text files (default 20,000) spread evenly over DIRS directories (default 200):
DEST/dNNN/fNNNNN.txt, 64 B to 4 KiB each (about 40 MiB in all), deterministic for a seed,
every file and directory time set to 1700000000 so two generations are identical.
Usage: gen-build-context.py DEST [FILES] [DIRS] [SEED]
"""
import os
import random
import sys


def main() -> None:
    dest = sys.argv[1]
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    dirs = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(2000)]
    per_dir = -(-files // dirs)
    total = 0
    for i in range(files):
        d = os.path.join(dest, f"d{i // per_dir:03d}")
        if i % per_dir == 0:
            os.makedirs(d, exist_ok=True)
        n = rng.randint(64, 4096)
        text = []
        size = 0
        while size < n:
            w = rng.choice(words)
            text.append(w)
            size += len(w) + 1
        data = (" ".join(text)[: n - 1] + "\n").encode()
        with open(os.path.join(d, f"f{i:05d}.txt"), "wb") as f:
            f.write(data)
        total += len(data)
    for root, subdirs, names in os.walk(dest):
        for name in subdirs + names:
            os.utime(os.path.join(root, name), (1700000000, 1700000000), follow_symlinks=False)
    os.utime(dest, (1700000000, 1700000000))
    print(f"{files} files in {dirs} directories, {total / (1 << 20):.1f} MiB in {dest}")


if __name__ == "__main__":
    main()
