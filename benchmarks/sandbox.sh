#!/usr/bin/env bash
# What the RUN sandbox's confinement costs (issue 11; goal: under 5 ms a RUN step, the seccomp
# filter compiled once per build). One recipe of STEPS exec-form RUN steps on FROM scratch +
# a static busybox, built with --no-cache three ways in one run:
#   confined   RUN ["/bin/busybox", "true", "N"]          (the default sandbox: masks, caps, seccomp)
#   insecure   RUN --security=insecure [...] with --allow security.insecure (no masks, no caps
#              dropped, no filter: the same bwrap + init + overlay + layer work otherwise)
#   buildkitd  the confined recipe through buildctl, when BUILDKIT_HOST names a live buildkitd
#              (v0.26.3, OCI worker; n/a otherwise) — the peer's cost of a RUN step, for scale
# (confined - insecure) / STEPS is the confinement's cost per RUN, filter compile included.
# Release build; RUNS runs each (default 5), median wall time.
# Usage: benchmarks/sandbox.sh [RUNS] [STEPS]      (defaults 5 and 20)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
STEPS=${2:-20}
bash scripts/setup.sh >/dev/null
bash scripts/busybox-rootfs.sh .build/fixtures/busybox >/dev/null
swift build -c release --static-swift-stdlib --product mab >/dev/null
MAB=$PWD/.build/release/mab
WORK=$PWD/benchmarks/out/sandbox
rm -rf "$WORK"
mkdir -p "$WORK/ctx"
cp .build/fixtures/busybox/amd64/bin/busybox "$WORK/ctx/busybox"
for mode in confined insecure; do
  {
    echo "FROM scratch"
    echo "COPY busybox /bin/busybox"
    for i in $(seq 1 "$STEPS"); do
      if [[ $mode == insecure ]]; then echo "RUN --security=insecure [\"/bin/busybox\", \"true\", \"$i\"]"; else echo "RUN [\"/bin/busybox\", \"true\", \"$i\"]"; fi
    done
  } > "$WORK/ctx/Dockerfile.$mode"
done
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
ms() { # command...: wall milliseconds
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "sandbox.sh: failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
export MAB_HOME=$WORK/home
confined=() insecure=() peer=()
for _ in $(seq 1 "$RUNS"); do
  confined+=("$(ms "$MAB" build "$WORK/ctx" -f "$WORK/ctx/Dockerfile.confined" --platform linux/amd64 --no-cache --progress plain)")
  insecure+=("$(ms "$MAB" build "$WORK/ctx" -f "$WORK/ctx/Dockerfile.insecure" --platform linux/amd64 --no-cache --progress plain --allow security.insecure)")
  if [[ -n ${BUILDKIT_HOST:-} ]] && command -v buildctl >/dev/null; then
    peer+=("$(ms buildctl --addr "$BUILDKIT_HOST" build --frontend dockerfile.v0 --local context="$WORK/ctx" --local dockerfile="$WORK/ctx" \
      --opt filename=Dockerfile.confined --opt platform=linux/amd64 --no-cache --progress plain)")
  fi
done
c=$(printf '%s\n' "${confined[@]}" | median)
i=$(printf '%s\n' "${insecure[@]}" | median)
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each, $STEPS RUN steps a build"
echo
echo "| build ($STEPS RUN steps, --no-cache) | median wall | per RUN step |"
echo "|---|---:|---:|"
printf '| mab, confined (default) | %d ms | %s ms |\n' "$c" "$(awk -v t="$c" -v n="$STEPS" 'BEGIN { printf "%.1f", t / n }')"
printf '| mab, --security=insecure | %d ms | %s ms |\n' "$i" "$(awk -v t="$i" -v n="$STEPS" 'BEGIN { printf "%.1f", t / n }')"
if ((${#peer[@]})); then
  p=$(printf '%s\n' "${peer[@]}" | median)
  printf '| buildkitd (buildctl, same recipe) | %d ms | %s ms |\n' "$p" "$(awk -v t="$p" -v n="$STEPS" 'BEGIN { printf "%.1f", t / n }')"
  echo
  awk -v c="$c" -v p="$p" 'BEGIN { printf "mab confined / buildkitd: %.2fx\n", c / p }'
else
  echo "| buildkitd | n/a (BUILDKIT_HOST unset or no buildctl on PATH) | |"
fi
echo
awk -v c="$c" -v i="$i" -v n="$STEPS" 'BEGIN { printf "confinement per RUN step: %.2f ms (goal < 5 ms)\n", (c - i) / n }'
