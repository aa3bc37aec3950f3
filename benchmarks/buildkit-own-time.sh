#!/usr/bin/env bash
# mab's own time in a BuildKit build, measured around buildctl (issue 13): buildctl is run
# through a wrapper that logs when each `buildctl build` starts and ends, so that what is
# left — from mab's start to the first build, from the last build's end to mab's exit — is
# mab's (process start, planning, the import's tail, index, tags, report). Warm builds of
# the recipe of benchmarks/buildkit-overhead.sh (run that first: it makes the context and
# the release build). Needs BUILDKIT_HOST; BUILDER (default: BUILDKIT_HOST) may name a
# stored builder instead, e.g. the two-node `bench` the overhead benchmark makes.
# Usage: benchmarks/buildkit-own-time.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
: "${BUILDKIT_HOST:?set BUILDKIT_HOST to a live buildkitd}"
BUILDCTL=${MAB_BUILDCTL:-$(command -v buildctl || true)}
WORK=$PWD/benchmarks/out/buildkit-overhead
[[ -d $WORK/ctx && -x .build/release/mab ]] || { echo "buildkit-own-time.sh: run benchmarks/buildkit-overhead.sh first" >&2; exit 1; }
export MAB_HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config
LOG=$WORK/buildctl-times
cat > "$WORK/buildctl-timed" <<WRAP
#!/bin/sh
case "\$*" in *" build "*) echo "start \$(date +%s%N)" >> "$LOG" ;; esac
"$BUILDCTL" "\$@"
rc=\$?
case "\$*" in *" build "*) echo "end \$(date +%s%N)" >> "$LOG" ;; esac
exit \$rc
WRAP
chmod +x "$WORK/buildctl-timed"
export MAB_BUILDCTL=$WORK/buildctl-timed
builder=${BUILDER:-$BUILDKIT_HOST}
.build/release/mab build "$WORK/ctx" --builder "$builder" --platform linux/amd64,linux/arm64 >/dev/null 2>&1
for _ in $(seq "$RUNS"); do
  : > "$LOG"
  s=$(date +%s%N)
  .build/release/mab build "$WORK/ctx" --builder "$builder" --platform linux/amd64,linux/arm64 --report "$WORK/report.json" >/dev/null 2>&1
  e=$(date +%s%N)
  awk -v s="$s" -v e="$e" '$1=="start" && !fs {fs=$2} $1=="end" {le=$2}
    END {printf "before the first buildctl build %d ms, after the last %d ms, total %d ms\n", (fs-s)/1e6, (e-le)/1e6, (e-s)/1e6}' "$LOG"
done
