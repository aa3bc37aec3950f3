#!/usr/bin/env bash
# Makes Debian bookworm root filesystems (debootstrap --variant=minbase) for linux/amd64
# and linux/arm64 under DEST/ARCH, for the apt end-to-end test. The arm64 one runs its
# second stage under qemu-user (binfmt_misc), about two minutes. Each root is made once
# and kept as a tarball in the cache (MAB_FIXTURE_CACHE, default ~/.cache/mab-fixtures,
# never in git); later runs unpack it. /etc/resolv.conf is emptied, as official images
# ship it. Needs root (setup.sh installs debootstrap).
set -euo pipefail
DEST=${1:?usage: debian-rootfs.sh DEST}
CACHE=${MAB_FIXTURE_CACHE:-${HOME:-/root}/.cache/mab-fixtures}
MIRROR=${MAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
mkdir -p "$CACHE" "$DEST"

for arch in amd64 arm64; do
  out=$DEST/$arch
  # DEST/ARCH.complete: the root there is whole (a marker outside it, never in an image).
  if [[ -x $out/usr/bin/apt-get && -e $out.complete ]]; then continue; fi
  tarball=$CACHE/debian-$SUITE-minbase-$arch.tar
  if [[ ! -s $tarball ]]; then
    work=$(mktemp -d "$CACHE/.debootstrap-$arch.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    echo "debian-rootfs: debootstrap $SUITE $arch (minbase) from $MIRROR"
    if [[ $arch == "$(dpkg --print-architecture)" ]]; then
      debootstrap --variant=minbase --arch="$arch" "$SUITE" "$work/root" "$MIRROR" >"$work/log" 2>&1 \
        || { tail -20 "$work/log" >&2; exit 1; }
    else
      # The second stage runs the other architecture's binaries through qemu-user.
      debootstrap --foreign --variant=minbase --arch="$arch" "$SUITE" "$work/root" "$MIRROR" >"$work/log" 2>&1 \
        || { tail -20 "$work/log" >&2; exit 1; }
      chroot "$work/root" /debootstrap/debootstrap --second-stage >>"$work/log" 2>&1 \
        || { tail -20 "$work/log" >&2; tail -20 "$work/root/debootstrap/debootstrap.log" >&2 || true; exit 1; }
    fi
    rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"* "$work/root/debootstrap"
    : > "$work/root/etc/resolv.conf"
    tar --numeric-owner --xattrs -C "$work/root" -cf "$work/root.tar" .
    mv "$work/root.tar" "$tarball"
    rm -rf "$work"
    trap - EXIT
  fi
  rm -rf "$out" "$out.complete"
  mkdir -p "$out"
  tar --numeric-owner --xattrs -C "$out" -xf "$tarball"
  touch "$out.complete"
done
echo "debian-rootfs: $DEST/{amd64,arm64}"
