#!/usr/bin/env python3
"""Generates a deterministic file tree for the layer benchmark.

20,000 files (default) in nested directories, ~512 MiB in all, mixed sizes (small,
medium, large), about a third of the bytes incompressible (random), the rest text-like.
Usage: gen-tree.py DEST [FILES] [SEED]
"""
import os
import random
import sys


def main() -> None:
    dest = sys.argv[1]
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    rng = random.Random(seed)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz_") for _ in range(rng.randint(2, 10)))
        for _ in range(4000)
    ]
    lines = []
    size = 0
    while size < 4 << 20:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(3, 14))) + ";\n"
        lines.append(line)
        size += len(line)
    pool = "".join(lines).encode()
    total = 0
    for i in range(files):
        d = os.path.join(dest, f"d{i // 1000:02d}", f"s{(i // 100) % 10}")
        os.makedirs(d, exist_ok=True)
        r = rng.random()
        if r < 0.80:
            n = rng.randint(256, 8 << 10)
        elif r < 0.98:
            n = rng.randint(16 << 10, 144 << 10)
        else:
            n = rng.randint(128 << 10, 672 << 10)
        if rng.random() < 1 / 3:
            data = rng.randbytes(n)
        else:
            start = rng.randint(0, len(pool) - n - 1)
            data = pool[start:start + n]
        with open(os.path.join(d, f"f{i:05d}.dat"), "wb") as f:
            f.write(data)
        total += n
    for root, dirs, names in os.walk(dest):
        for name in dirs + names:
            os.utime(os.path.join(root, name), (1700000000, 1700000000), follow_symlinks=False)
    print(f"{files} files, {total / (1 << 20):.1f} MiB in {dest}")


if __name__ == "__main__":
    main()
