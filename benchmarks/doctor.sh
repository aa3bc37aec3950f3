#!/usr/bin/env bash
# mab doctor's speed (issue 7): the whole doctor for linux/amd64 + linux/arm64, smoke tests
# included (goal < 1 s), and the checks a build runs before its first step for a foreign
# platform — `mab doctor --platform linux/arm64 --preflight` runs exactly those (goal for the
# in-build part < 100 ms; the process start is in that figure too). Release build, RUNS
# runs each (default 10), median and max. Usage: benchmarks/doctor.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
bash scripts/setup.sh >/dev/null
swift build -c release --static-swift-stdlib --product mab >/dev/null
MAB=$PWD/.build/release/mab
measure() { # label, args...
  local label=$1; shift
  local times=()
  for _ in $(seq 1 "$RUNS"); do
    local start end
    start=$(date +%s%N)
    "$MAB" "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '| %s | %s ms | %s ms |\n' "$label" "$(sed -n "$(( (RUNS + 1) / 2 ))p" <<<"$sorted")" "$(tail -1 <<<"$sorted")"
}
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each"
echo
echo "| command | median | max |"
echo "|---|---:|---:|"
measure "mab doctor (linux/amd64 + linux/arm64, 4 smoke tests)" doctor
measure "mab doctor --platform linux/arm64" doctor --platform linux/arm64
measure "mab doctor --platform linux/arm64 --preflight (exactly what mab build runs before its first step)" doctor --platform linux/arm64 --preflight
measure "mab --version (process start, for reference)" --version
