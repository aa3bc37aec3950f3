#!/usr/bin/env bash
# On the real system, as root: disable the aarch64 binfmt_misc registration, check that
# `mab doctor` and `mab build --platform linux/arm64` fail with the fix, then enable it
# again — restored on every exit path. Run alone (scripts/test.sh runs it after the
# Swift tests), since arm64 builds started meanwhile would fail.
# Usage: scripts/binfmt-toggle-check.sh [MAB]
set -euo pipefail
cd "$(dirname "$0")/.."
MAB=${1:-.build/debug/mab}
ROOT=/proc/sys/fs/binfmt_misc
# The registration that claims aarch64 executables (Debian calls it qemu-aarch64).
ENTRY=$(grep -l '^magic 7f454c460201010000000000000000000200b700' "$ROOT"/* 2>/dev/null | head -1 || true)
[[ -n $ENTRY && $(id -u) == 0 ]] || { echo "binfmt-toggle-check: needs root and an aarch64 registration" >&2; exit 1; }
NAME=$(basename "$ENTRY")
WORK=$(mktemp -d)
restore() { echo 1 > "$ENTRY"; rm -rf "$WORK"; }
trap restore EXIT
echo 0 > "$ENTRY"

if out=$("$MAB" doctor --platform linux/arm64); then
  echo "binfmt-toggle-check: mab doctor passed with $NAME disabled" >&2; exit 1
fi
grep -qF "✗ linux/arm64 registration: $NAME claims linux/arm64 executables but is disabled" <<<"$out"
grep -qF "fix: update-binfmts --enable $NAME" <<<"$out"

mkdir -p "$WORK/ctx"
printf 'FROM scratch\nCOPY Dockerfile /x\nRUN true\n' > "$WORK/ctx/Dockerfile"
if err=$(MAB_HOME=$WORK/home "$MAB" build "$WORK/ctx" --platform linux/arm64 --progress plain 2>&1); then
  echo "binfmt-toggle-check: mab build passed with $NAME disabled" >&2; exit 1
fi
grep -qF "Dockerfile:3: RUN for linux/arm64 cannot run on this machine" <<<"$err"
grep -qF "fix: update-binfmts --enable $NAME" <<<"$err"
[[ ! -d $WORK/home/cache ]] || [[ -z $(ls "$WORK/home/cache") ]]   # no step ran

echo 1 > "$ENTRY"
"$MAB" doctor --platform linux/arm64 >/dev/null
echo "binfmt-toggle-check: $NAME disabled -> doctor and build fail with the fix; enabled again -> doctor passes"
