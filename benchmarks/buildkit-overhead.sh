#!/usr/bin/env bash
# mab's own cost around buildctl (issue 13; goal: under 10% of the wall time of the same
# build done with buildctl alone). Needs a live buildkitd: BUILDKIT_HOST (and, for the
# two-node case, BUILDKIT_HOST_ARM64 with BUILDKIT_TLS_DIR for its mTLS files, if any).
# buildctl from MAB_BUILDCTL or PATH. Release build; RUNS runs each (default 5), median.
# One recipe (FROM scratch, per-platform busybox rootfs, a RUN), for linux/amd64,linux/arm64:
#   cold   --no-cache: every step runs
#   warm   everything cached: the overhead is all that is left
# each two ways: buildctl alone (--output type=oci,dest=FILE) and mab build --builder
# (which also imports the stream into its store, joins the index and writes the report).
# With BUILDKIT_HOST_ARM64: the same two-platform build on two nodes at once through mab,
# against the slower of the two one-platform buildctl runs done at the same time.
# The two sides alternate run by run. Usage: benchmarks/buildkit-overhead.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
: "${BUILDKIT_HOST:?set BUILDKIT_HOST to a live buildkitd (unix:///… or tcp://…)}"
BUILDCTL=${MAB_BUILDCTL:-$(command -v buildctl || true)}
[[ -x $BUILDCTL ]] || { echo "buildkit-overhead.sh: buildctl not found (MAB_BUILDCTL or PATH)" >&2; exit 1; }
export MAB_BUILDCTL=$BUILDCTL
bash scripts/setup.sh >/dev/null
bash scripts/busybox-rootfs.sh .build/fixtures/busybox >/dev/null
swift build -c release --static-swift-stdlib --product mab >/dev/null
MAB=$PWD/.build/release/mab
WORK=$PWD/benchmarks/out/buildkit-overhead
rm -rf "$WORK"
mkdir -p "$WORK/ctx"
cp -a .build/fixtures/busybox/amd64 "$WORK/ctx/rootfs-amd64"
cp -a .build/fixtures/busybox/arm64 "$WORK/ctx/rootfs-arm64"
printf 'FROM scratch\nARG TARGETARCH\nCOPY rootfs-$TARGETARCH/ /\nRUN uname -m > /arch && ls -R / > /listing\n' > "$WORK/ctx/Dockerfile"
export MAB_HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "buildkit-overhead.sh: failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
buildctl_alone() { # ADDR TLSFLAGS PLATFORMS [--no-cache]
  local addr=$1 tls=$2 platforms=$3; shift 3
  # shellcheck disable=SC2086
  "$BUILDCTL" --addr "$addr" $tls build --frontend dockerfile.v0 --local context="$WORK/ctx" --local dockerfile="$WORK/ctx" \
    --opt platform="$platforms" --output type=oci,dest="$WORK/out.tar" "$@"
}
report() { # LABEL PEER_MS MAB_MS
  awk -v l="$1" -v p="$2" -v m="$3" 'BEGIN { printf "%-28s buildctl %6d ms   mab %6d ms   overhead %+6d ms (%+.1f%%)   ratio %.3f\n", l, p, m, m - p, (m - p) * 100 / p, m / p }'
}
both=linux/amd64,linux/arm64
buildctl_alone "$BUILDKIT_HOST" "" $both >/dev/null 2>&1   # warm the node
# The two sides alternate run by run, so that the machine's drift falls on both alike.
interleaved() { # LABEL PEER-COMMAND... -- MAB-COMMAND...
  local label=$1; shift
  local peer=() mab=()
  while [[ $1 != -- ]]; do peer+=("$1"); shift; done
  shift
  mab=("$@")
  : > "$WORK/peer.ms"; : > "$WORK/mab.ms"
  for _ in $(seq "$RUNS"); do
    ms "${peer[@]}" >> "$WORK/peer.ms"
    ms "${mab[@]}" >> "$WORK/mab.ms"
  done
  report "$label" "$(median < "$WORK/peer.ms")" "$(median < "$WORK/mab.ms")"
}
for mode in cold warm; do
  flag=(); [[ $mode == cold ]] && flag=(--no-cache)
  interleaved "one node, $mode" buildctl_alone "$BUILDKIT_HOST" "" $both "${flag[@]}" -- \
    "$MAB" build "$WORK/ctx" --builder "$BUILDKIT_HOST" --platform $both --report "$WORK/report.json" "${flag[@]}"
done
if [[ -n ${BUILDKIT_HOST_ARM64:-} ]]; then
  tls=""; create_tls=()
  if [[ -n ${BUILDKIT_TLS_DIR:-} ]]; then
    tls="--tlscacert $BUILDKIT_TLS_DIR/ca.pem --tlscert $BUILDKIT_TLS_DIR/client.pem --tlskey $BUILDKIT_TLS_DIR/client-key.pem"
    create_tls=(--tlscacert "$BUILDKIT_TLS_DIR/ca.pem" --tlscert "$BUILDKIT_TLS_DIR/client.pem" --tlskey "$BUILDKIT_TLS_DIR/client-key.pem")
  fi
  "$MAB" builder create bench "$BUILDKIT_HOST" --node amd --platform linux/amd64 >/dev/null
  "$MAB" builder create bench "$BUILDKIT_HOST_ARM64" --append --node arm --platform linux/arm64 "${create_tls[@]}" >/dev/null
  buildctl_alone "$BUILDKIT_HOST_ARM64" "$tls" linux/arm64 >/dev/null 2>&1
  for mode in cold warm; do
    flag=(); [[ $mode == cold ]] && flag=(--no-cache)
    pair() { # both one-platform buildctl runs at once: the wall time is the slower one's
      buildctl_alone "$BUILDKIT_HOST" "" linux/amd64 "${flag[@]}" >/dev/null 2>&1 &
      local a=$!
      "$BUILDCTL" --addr "$BUILDKIT_HOST_ARM64" $tls build --frontend dockerfile.v0 --local context="$WORK/ctx" --local dockerfile="$WORK/ctx" \
        --opt platform=linux/arm64 --output type=oci,dest="$WORK/out-arm.tar" "${flag[@]}" >/dev/null 2>&1
      wait $a
    }
    interleaved "two nodes, $mode" pair -- "$MAB" build "$WORK/ctx" --builder bench --platform $both --report "$WORK/report.json" "${flag[@]}"
  done
fi
