#!/usr/bin/env bash
# Installs everything mab needs to build and test on Debian 12 (run as root).
# Idempotent: packages already installed are not fetched again.
set -euo pipefail

PACKAGES=(
  pkg-config
  libarchive-dev
  libcurl4-openssl-dev
  libssl-dev
  libdeflate-dev
  libzstd-dev
  libseccomp-dev
  libarchive-tools
  skopeo
  umoci
  docker-registry
  apache2-utils
  curl
  bubblewrap
  qemu-user-static
  binfmt-support
  debootstrap
  python3
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: need root to install packages (run as root or with sudo)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Emulation for the other architecture: binfmt_misc mounted and qemu registered (F flag).
if [[ $(id -u) -eq 0 ]]; then
  if [[ ! -e /proc/sys/fs/binfmt_misc/status ]]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || true
  fi
  case $(uname -m) in
    x86_64) other=qemu-aarch64 ;;
    aarch64) other=qemu-x86_64 ;;
    *) other= ;;
  esac
  if [[ -n $other && -e /proc/sys/fs/binfmt_misc/status && ! -e /proc/sys/fs/binfmt_misc/$other ]]; then
    update-binfmts --enable "$other" >/dev/null 2>&1 || true
  fi
fi

command -v swift >/dev/null || { echo "setup: the Swift toolchain (swift) is not on PATH" >&2; exit 1; }
echo "setup: ok"
