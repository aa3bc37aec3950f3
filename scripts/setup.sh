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
  libarchive-tools
  skopeo
  umoci
  docker-registry
  apache2-utils
  curl
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

command -v swift >/dev/null || { echo "setup: the Swift toolchain (swift) is not on PATH" >&2; exit 1; }
echo "setup: ok"
