#!/usr/bin/env bash
# Builds tiny real root filesystems for linux/amd64 and linux/arm64 from Debian's
# busybox-static packages: DEST/amd64 and DEST/arm64 (default .build/fixtures/busybox).
# The arm64 busybox is run under qemu-aarch64-static to list its applets, which proves
# emulation works; every applet becomes a symlink to /bin/busybox (as `--install -s`).
set -euo pipefail
DEST=${1:-.build/fixtures/busybox}
if [[ -x $DEST/amd64/bin/busybox && -x $DEST/arm64/bin/busybox && -f $DEST/.complete ]]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
need_update=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
  need_update=1
fi
if ! command -v qemu-aarch64-static >/dev/null; then
  need_update=1
fi
if ((need_update)); then
  apt-get update -qq
fi
command -v qemu-aarch64-static >/dev/null || apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq busybox-static:amd64 busybox-static:arm64)

rm -rf "$DEST"
mkdir -p "$DEST"
for arch in amd64 arm64; do
  root=$DEST/$arch
  mkdir -p "$work/$arch"
  dpkg-deb -x "$work"/busybox-static_*_"$arch".deb "$work/$arch"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,proc,sys,dev,var}
  chmod 1777 "$root/tmp"
  chmod 700 "$root/root"
  install -m 0755 "$work/$arch/bin/busybox" "$root/bin/busybox"
  if [[ $arch == arm64 ]]; then
    list=$(qemu-aarch64-static "$root/bin/busybox" --list-full)
  else
    list=$("$root/bin/busybox" --list-full)
  fi
  while read -r applet; do
    [[ -z $applet || $applet == bin/busybox ]] && continue
    mkdir -p "$root/$(dirname "$applet")"
    ln -sf /bin/busybox "$root/$applet"
  done <<< "$list"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  echo "busybox-static $(dpkg-deb -f "$work"/busybox-static_*_"$arch".deb Version) $arch" > "$root/etc/mab-base"
done
touch "$DEST/.complete"
echo "busybox root filesystems ready in $DEST"
