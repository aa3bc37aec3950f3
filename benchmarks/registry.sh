#!/usr/bin/env bash
# Registry benchmark (issue 4): mab push/pull against skopeo copy on the same 3-layer,
# two-platform (~300 MiB of gzip blobs) OCI image, to and from a local docker-registry
# (distribution 2.8) on loopback, in one run. Usage: benchmarks/registry.sh [RUNS]
#
# Cases, each run RUNS times (default 3), median reported:
#   push     mab push oci:LAYOUT:TAG R/bench/img:1   vs  skopeo copy --all oci:... docker://...
#            (a fresh, empty registry for each measured push)
#   re-push  the same push again to the same registry (all blobs present)
#   pull     mab pull R/bench/img:1 into a fresh MAB_HOME
#            vs  skopeo copy --all docker://R/bench/img:1 oci:FRESHDIR:x
# MiB/s is the total size of the image's blobs (layers, configs, manifests, index) divided by
# the time. Generated data goes to benchmarks/out/registry (gitignored); the trees and the
# layout are kept between runs. Every registry the script starts is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${1:-3}
TAG=bench
MIB_PER_LAYER_DIR=62   # about 50 MiB of gzip per layer

need=()
for p in skopeo docker-registry curl; do command -v "$p" >/dev/null || need+=("$p"); done
if ((${#need[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
swift build -c release --static-swift-stdlib --product mab >/dev/null
MAB=$ROOT/.build/release/mab

mkdir -p "$ROOT/benchmarks/out"
OUT=${BENCH_OUT:-$ROOT/benchmarks/out/registry}
mkdir -p "$OUT"
WORK=$(mktemp -d "$OUT/run.XXXXXX")
REG_PIDS=()
cleanup() {
  local pid
  for pid in "${REG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- The image: 3 layer directories per platform, a gzip layer each, an OCI layout. ---
TREES=$OUT/trees
LAYOUT=$OUT/layout
STAMP="trees=$MIB_PER_LAYER_DIR gen=$(sha256sum benchmarks/gen-image-tree.py | cut -c1-16)"
if [[ ! -f $OUT/image.done || $(cat "$OUT/image.done") != "$STAMP" ]]; then
  rm -rf "$TREES" "$OUT/layers" "$LAYOUT" "$OUT/image.done"
  python3 benchmarks/gen-image-tree.py trees "$TREES" "$MIB_PER_LAYER_DIR"
  mkdir -p "$OUT/layers"
  : > "$OUT/layers.tsv"
  for platform in amd64 arm64; do
    for n in 1 2 3; do
      file=$OUT/layers/$platform-layer$n.tar.gz
      "$MAB" layer create "$TREES/$platform/layer$n" -o "$file" --compression gzip > "$OUT/layer.txt"
      diff_id=$(awk '$1=="diffID"{print $2}' "$OUT/layer.txt")
      digest=$(awk '$1=="digest"{print $2}' "$OUT/layer.txt")
      size=$(awk '$1=="size"{print $2}' "$OUT/layer.txt")
      echo "$platform $file $diff_id $digest $size" >> "$OUT/layers.tsv"
    done
  done
  python3 benchmarks/gen-image-tree.py layout "$LAYOUT" "$TAG" "$OUT/layers.tsv" > "$OUT/index.digest"
  echo "$STAMP" > "$OUT/image.done"
fi
INDEX_DIGEST=$(cat "$OUT/index.digest")
# skopeo must accept the layout (both platforms).
skopeo inspect "oci:$LAYOUT:$TAG" --override-arch amd64 --format '{{.Architecture}} {{len .Layers}} layers' > "$WORK/inspect"
skopeo inspect "oci:$LAYOUT:$TAG" --override-arch arm64 --format '{{.Architecture}} {{len .Layers}} layers' >> "$WORK/inspect"
BLOB_BYTES=$(find "$LAYOUT/blobs/sha256" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
MIB=$(python3 -c "print($BLOB_BYTES/1048576)")

# --- Registries ---
REG_PORT='' REG_PID='' REG_DIR=''
start_registry() {
  REG_DIR=$(mktemp -d "$WORK/registry.XXXXXX")
  REG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat > "$REG_DIR/config.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $REG_DIR/data
http:
  addr: 127.0.0.1:$REG_PORT
EOF
  docker-registry serve "$REG_DIR/config.yml" > "$REG_DIR/log" 2>&1 &
  REG_PID=$!
  REG_PIDS+=("$REG_PID")
  local i
  for i in $(seq 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$REG_PORT/v2/" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "registry on port $REG_PORT did not start:" >&2; cat "$REG_DIR/log" >&2; exit 1
}
stop_registry() {
  kill "$REG_PID" 2>/dev/null || true
  wait "$REG_PID" 2>/dev/null || true
  rm -rf "$REG_DIR"
}

declare -A T
measure() { # name run command...   (stdout and stderr kept in $WORK/name.run.{out,err})
  local name=$1 run=$2; shift 2
  local start end
  cat "$LAYOUT"/blobs/sha256/* > /dev/null
  start=$(date +%s.%N)
  if ! "$@" > "$WORK/$name.$run.out" 2> "$WORK/$name.$run.err"; then
    echo "FAILED: $name (run $run): $*" >&2; cat "$WORK/$name.$run.err" >&2; exit 1
  fi
  end=$(date +%s.%N)
  T[$name.$run]=$(python3 -c "print($end-$start)")
  cp "$WORK/$name.$run.err" "$OUT/last-$name.err"
}
remote_digest() { # the digest of the index the registry serves for bench/img:1
  skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$REG_PORT/bench/img:1" | sha256sum | awk '{print "sha256:" $1}'
}
check() { # what expected actual
  [[ $2 == "$3" ]] || { echo "MISMATCH: $1: expected $2, got $3" >&2; exit 1; }
}

# --- Measurements: one at a time across benchmarks, and not while the fuzzer runs. ---
exec 9> "$ROOT/benchmarks/out/.bench.lock"
flock 9
while pgrep -x recipe-fuzzer > /dev/null; do sleep 10; done
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$MAB" --version), $(skopeo --version), $(docker-registry --version | awk '{print $1, $3}')"
echo "image: $INDEX_DIGEST, $(grep -c . "$OUT/layers.tsv") layers, blobs $BLOB_BYTES bytes ($(python3 -c "print(round($MIB,1))") MiB)"
sed 's/^/  skopeo inspect: /' "$WORK/inspect"
awk '{n=split($2, p, "/"); printf "  %s: %s bytes (%.1f MiB) %s\n", p[n], $5, $5/1048576, $4}' "$OUT/layers.tsv"

SRC="oci:$LAYOUT:$TAG"
for run in $(seq "$RUNS"); do
  # mab push to a fresh registry, then again (all blobs present).
  start_registry
  measure push_mab "$run" env MAB_HOME="$WORK/home-push" "$MAB" push "$SRC" "127.0.0.1:$REG_PORT/bench/img:1"
  check "mab push digest" "$INDEX_DIGEST" "$(tail -n1 "$WORK/push_mab.$run.out")"
  check "registry index after mab push" "$INDEX_DIGEST" "$(remote_digest)"
  measure repush_mab "$run" env MAB_HOME="$WORK/home-push" "$MAB" push "$SRC" "127.0.0.1:$REG_PORT/bench/img:1"
  check "mab re-push digest" "$INDEX_DIGEST" "$(tail -n1 "$WORK/repush_mab.$run.out")"
  if [[ $run == 1 ]]; then # what mab pushed reads back with skopeo (verified), not measured
    skopeo copy -q --all --src-tls-verify=false "docker://127.0.0.1:$REG_PORT/bench/img:1" "oci:$WORK/readback:x" > /dev/null
    rm -rf "$WORK/readback"
  fi
  stop_registry
  rm -rf "$WORK/home-push"

  # skopeo push to a fresh registry, then again; the pulls read from this registry.
  start_registry
  measure push_skopeo "$run" skopeo copy -q --all --dest-tls-verify=false "$SRC" "docker://127.0.0.1:$REG_PORT/bench/img:1"
  check "registry index after skopeo push" "$INDEX_DIGEST" "$(remote_digest)"
  measure repush_skopeo "$run" skopeo copy -q --all --dest-tls-verify=false "$SRC" "docker://127.0.0.1:$REG_PORT/bench/img:1"

  # Pulls, alternating which tool goes first.
  pull_mab() {
    rm -rf "$WORK/home-pull"
    measure pull_mab "$run" env MAB_HOME="$WORK/home-pull" "$MAB" pull "127.0.0.1:$REG_PORT/bench/img:1"
    check "mab pull digest" "$INDEX_DIGEST" "$(tail -n1 "$WORK/pull_mab.$run.out")"
    rm -rf "$WORK/home-pull"
  }
  pull_skopeo() {
    rm -rf "$WORK/pulled"
    measure pull_skopeo "$run" skopeo copy -q --all --src-tls-verify=false "docker://127.0.0.1:$REG_PORT/bench/img:1" "oci:$WORK/pulled:x"
    check "skopeo pull blobs" "$BLOB_BYTES" "$(find "$WORK/pulled/blobs/sha256" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')"
    rm -rf "$WORK/pulled"
  }
  if ((run % 2)); then pull_mab; pull_skopeo; else pull_skopeo; pull_mab; fi
  stop_registry
  echo "run $run: push mab ${T[push_mab.$run]} skopeo ${T[push_skopeo.$run]}; re-push mab ${T[repush_mab.$run]} skopeo ${T[repush_skopeo.$run]}; pull mab ${T[pull_mab.$run]} skopeo ${T[pull_skopeo.$run]}" >&2
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

runtimes() { local r; for r in $(seq "$RUNS"); do printf '%s ' "${T[$1.$r]}"; done; }
python3 - "$MIB" "$RUNS" "$(runtimes push_mab)" "$(runtimes push_skopeo)" "$(runtimes repush_mab)" \
  "$(runtimes repush_skopeo)" "$(runtimes pull_mab)" "$(runtimes pull_skopeo)" <<'PY'
import statistics, sys
mib, runs = float(sys.argv[1]), int(sys.argv[2])
t = {k: [float(x) for x in v.split()] for k, v in zip(
    ["push_mab", "push_skopeo", "repush_mab", "repush_skopeo", "pull_mab", "pull_skopeo"], sys.argv[3:])}
med = {k: statistics.median(v) for k, v in t.items()}
print()
print(f"| case | tool | median s | min s | max s | MiB/s | mab/skopeo throughput |")
print("|---|---|---:|---:|---:|---:|---:|")
for case, label in [("push", "push (fresh registry)"), ("repush", "second push (all blobs present)"),
                    ("pull", "pull (fresh store / directory)")]:
    m, s = med[f"{case}_mab"], med[f"{case}_skopeo"]
    for tool in ("mab", "skopeo"):
        k = f"{case}_{tool}"
        ratio = f"{s / m:.2f}x" if tool == "mab" else ""
        print(f"| {label} | {tool} | {med[k]:.3f} | {min(t[k]):.3f} | {max(t[k]):.3f} | {mib / med[k]:.0f} | {ratio} |")
print()
goals = [("mab push >= 1.0x skopeo", med["push_skopeo"] / med["push_mab"] >= 1.0, f"{med['push_skopeo'] / med['push_mab']:.2f}x"),
         ("mab pull >= 1.0x skopeo", med["pull_skopeo"] / med["pull_mab"] >= 1.0, f"{med['pull_skopeo'] / med['pull_mab']:.2f}x"),
         ("mab second push < 0.2 s", med["repush_mab"] < 0.2, f"{med['repush_mab']:.3f} s")]
print("| goal | measured | met? |")
print("|---|---:|---|")
for name, ok, val in goals:
    print(f"| {name} | {val} | {'yes' if ok else '**no**'} |")
PY
echo
echo "mab's own timing lines (last run):"
for n in push_mab repush_mab pull_mab; do sed "s/^/  $n: /" "$OUT/last-$n.err"; done
