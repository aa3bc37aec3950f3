#!/usr/bin/env python3
"""Generates the test image of the registry benchmark (benchmarks/registry.sh).

Two steps, both deterministic:

  gen-image-tree.py trees DEST [MIB] [SEED]
      Writes DEST/<platform>/layer<N> for platforms amd64 and arm64 and N = 1..3: six
      root-filesystem directories of about MIB MiB each (default 64), with their own
      content (no blob is shared between layers or platforms). About 70% of the bytes are
      incompressible (random), the rest text-like, so that a gzip layer of one directory is
      about 50 MiB at the default size.

  gen-image-tree.py layout DEST TAG LAYERS.tsv
      Assembles an OCI image layout at DEST (oci-layout, index.json naming TAG with
      org.opencontainers.image.ref.name, and blobs/sha256/): an image index with linux/amd64
      and linux/arm64, a manifest and a config per platform. LAYERS.tsv has one line per
      layer, in order: "<platform> <file> <diffID> <digest> <size>", as written by
      registry.sh from the output of `mab layer create`. Layer files are hard-linked (or
      copied) into the layout.
"""
import hashlib
import json
import os
import random
import shutil
import sys

PLATFORMS = ["amd64", "arm64"]
LAYERS = 3
EPOCH = 1700000000


def gen_tree(dest: str, mib: int, seed: int) -> int:
    rng = random.Random(seed)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz_/.") for _ in range(rng.randint(2, 12)))
        for _ in range(6000)
    ]
    lines, size = [], 0
    while size < 4 << 20:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(3, 14))) + "\n"
        lines.append(line)
        size += len(line)
    pool = "".join(lines).encode()
    target, total, i = mib << 20, 0, 0
    while total < target:
        d = os.path.join(dest, f"usr{i // 200:02d}", f"lib{(i // 20) % 10}")
        os.makedirs(d, exist_ok=True)
        r = rng.random()
        if r < 0.70:
            n = rng.randint(512, 16 << 10)
        elif r < 0.95:
            n = rng.randint(16 << 10, 256 << 10)
        else:
            n = rng.randint(512 << 10, 2 << 20)
        n = min(n, target - total) or 1
        # About 70% of the bytes random (binaries, compressed assets), the rest text.
        if rng.random() < 0.70:
            data = rng.randbytes(n)
        else:
            start = rng.randint(0, len(pool) - n - 1)
            data = pool[start:start + n]
        with open(os.path.join(d, f"f{i:05d}"), "wb") as f:
            f.write(data)
        total += n
        i += 1
    for root, dirs, names in os.walk(dest):
        for name in dirs + names:
            os.utime(os.path.join(root, name), (EPOCH, EPOCH), follow_symlinks=False)
    os.utime(dest, (EPOCH, EPOCH))
    return i


def trees(dest: str, mib: int, seed: int) -> None:
    for p, platform in enumerate(PLATFORMS):
        for n in range(1, LAYERS + 1):
            d = os.path.join(dest, platform, f"layer{n}")
            shutil.rmtree(d, ignore_errors=True)
            files = gen_tree(d, mib, seed * 1000 + p * 10 + n)
            print(f"{d}: {files} files, {mib} MiB")


def put_blob(blobs: str, data: bytes) -> tuple:
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return f"sha256:{digest}", len(data)


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def layout(dest: str, tag: str, tsv: str) -> None:
    shutil.rmtree(dest, ignore_errors=True)
    blobs = os.path.join(dest, "blobs", "sha256")
    os.makedirs(blobs)
    layers = {p: [] for p in PLATFORMS}
    with open(tsv) as f:
        for line in f:
            if line.strip():
                platform, path, diff_id, digest, size = line.split()
                layers[platform].append((path, diff_id, digest, int(size)))
    manifests = []
    for platform in PLATFORMS:
        entries = layers[platform]
        for path, _, digest, size in entries:
            target = os.path.join(blobs, digest.split(":", 1)[1])
            if os.path.getsize(path) != size:
                sys.exit(f"{path}: size {os.path.getsize(path)}, expected {size}")
            try:
                os.link(path, target)
            except OSError:
                shutil.copyfile(path, target)
        config = {
            "architecture": platform,
            "os": "linux",
            "created": "2023-11-14T22:13:20Z",
            "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
            "rootfs": {"type": "layers", "diff_ids": [e[1] for e in entries]},
            "history": [
                {"created": "2023-11-14T22:13:20Z", "created_by": f"registry benchmark layer {i + 1}"}
                for i in range(len(entries))
            ],
        }
        cdigest, csize = put_blob(blobs, canonical(config))
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": cdigest, "size": csize},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                        "digest": e[2], "size": e[3]} for e in entries],
        }
        mdigest, msize = put_blob(blobs, canonical(manifest))
        manifests.append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                          "digest": mdigest, "size": msize,
                          "platform": {"architecture": platform, "os": "linux"}})
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": manifests}
    idigest, isize = put_blob(blobs, canonical(index))
    top = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
           "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json",
                          "digest": idigest, "size": isize,
                          "annotations": {"org.opencontainers.image.ref.name": tag}}]}
    with open(os.path.join(dest, "index.json"), "wb") as f:
        f.write(canonical(top))
    with open(os.path.join(dest, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    print(idigest)


def main() -> None:
    if len(sys.argv) >= 3 and sys.argv[1] == "trees":
        trees(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 64,
              int(sys.argv[4]) if len(sys.argv) > 4 else 42)
    elif len(sys.argv) == 5 and sys.argv[1] == "layout":
        layout(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
