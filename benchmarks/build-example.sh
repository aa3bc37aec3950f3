#!/usr/bin/env bash
# mab build of examples/two-platform (linux/amd64 native + linux/arm64 under qemu) on the
# busybox base images: RUNS builds with --no-cache, then RUNS fully cached builds.
# Not yet the docker/buildah comparison issue 6 asks for. Usage: benchmarks/build-example.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
dpkg-query -W -f='${Status}' time 2>/dev/null | grep -q "install ok installed" || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
bash scripts/setup.sh >/dev/null
bash scripts/busybox-rootfs.sh .build/fixtures/busybox >/dev/null
swift build -c release --static-swift-stdlib --product mab >/dev/null
MAB=$PWD/.build/release/mab
OUT=$PWD/benchmarks/out/build-example
rm -rf "$OUT"; mkdir -p "$OUT"
export MAB_HOME=$OUT/home SOURCE_DATE_EPOCH=1700000000
"$MAB" import linux/amd64=.build/fixtures/busybox/amd64 linux/arm64=.build/fixtures/busybox/arm64 \
  -t localhost:5000/mab/busybox:1.35 >/dev/null 2>&1
run() { # label, extra args...
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$OUT/time" "$MAB" build examples/two-platform --platform linux/amd64,linux/arm64 -t bench:1 "$@" \
    > "$OUT/digest" 2> "$OUT/log"
  read -r secs kib < "$OUT/time"
  printf '| %s | %s | %d | %s | %s |\n' "$label" "$secs" $(( kib / 1024 )) "$(grep -o '([0-9]* steps run, [0-9]* cached)' "$OUT/log")" "$(cut -c8-19 "$OUT/digest")"
}
echo "$(nproc) cores"
echo
echo "| run | seconds | peak RSS MiB | steps | index digest |"
echo "|---|---:|---:|---|---|"
for i in $(seq 1 "$RUNS"); do run "--no-cache #$i" --no-cache; done
for i in $(seq 1 "$RUNS"); do run "cached #$i"; done
