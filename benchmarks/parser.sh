#!/usr/bin/env bash
# Parser benchmark: times `mab parse -f FILE > /dev/null` on generated 20,000- and
# 40,000-line recipes and, where it can be built, BuildKit's own Dockerfile parser on
# comparable files. Prints a table; see docs/benchmarks.md for the goals and results.
#
#   bash benchmarks/parser.sh            # everything (builds mab in release first)
#   RUNS=11 bash benchmarks/parser.sh    # more timed runs per file (default 7, after 1 warm-up)
#   PEER=0 bash benchmarks/parser.sh     # skip the BuildKit peer
#
# Runs as root on a fresh Debian 12 machine: it installs what it needs with apt-get.
# Everything it generates or builds goes to benchmarks/out/ (gitignored). The peer's
# source is BuildKit as vendored in Debian's docker.io source package (the only BuildKit
# source Debian 12 ships), fetched with `apt-get source` into benchmarks/out/ using a
# private apt state directory (the system's apt configuration is not changed).
# Exit status is 0 whenever the measurements could be taken, goals met or not.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/benchmarks/out"
RUNS=${RUNS:-7}
PEER=${PEER:-1}
mkdir -p "$OUT"
cd "$ROOT"

log() { echo "parser-bench: $*" >&2; }

# ---- packages ---------------------------------------------------------------------
APT_UPDATED=0
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ((APT_UPDATED == 0)); then apt-get update -qq >&2; APT_UPDATED=1; fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_packages time python3
GNU_TIME=/usr/bin/time

# ---- build mab --------------------------------------------------------------------
if ! command -v swift >/dev/null && [[ -x /opt/swift/usr/bin/swift ]]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
bash scripts/setup.sh >&2
log "building mab (release)"
swift build -c release --static-swift-stdlib --product mab >&2
MAB="$ROOT/.build/release/mab"

# ---- recipes ----------------------------------------------------------------------
GEN="python3 $ROOT/benchmarks/gen-recipe.py"
for n in 20000 40000; do
  $GEN "$n" -o "$OUT/recipe-$n.Dockerfile"
  $GEN "$n" --dialect buildkit-0.8 -o "$OUT/recipe-$n-bk08.Dockerfile"
  for f in "$OUT/recipe-$n.Dockerfile" "$OUT/recipe-$n-bk08.Dockerfile"; do
    [[ $(wc -l <"$f") -eq $n ]] || { log "$f does not have $n lines"; exit 1; }
    "$MAB" parse -f "$f" >/dev/null || { log "mab parse rejected $f"; exit 1; }
  done
done

# ---- the BuildKit peer ------------------------------------------------------------
# Builds benchmarks/peer/buildkit-parse.go in GOPATH mode (Go modules off, no proxy)
# against the BuildKit packages vendored in Debian's docker.io source; prints
# "VERSION|BUILDKIT_COMMIT" on success.
build_peer() {
  local p="$OUT/peer"
  mkdir -p "$p"
  ensure_packages golang-go golang-github-pkg-errors-dev golang-github-docker-go-connections-dev \
    golang-github-docker-go-units-dev golang-github-containerd-typeurl-dev \
    golang-github-gogo-protobuf-dev golang-goprotobuf-dev xz-utils || return 1

  if [[ ! -f "$p/src.done" ]]; then
    # deb-src twins of the system's own Debian sources, in a private apt state dir.
    local apt="$p/apt"
    rm -rf "$apt" "$p/dl"
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d" "$p/dl" || return 1
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
      [[ -f $f ]] && sed -E 's/^Types:.*$/Types: deb-src/' "$f" >"$apt/sources.list.d/$(basename "$f")"
    done
    if [[ -f /etc/apt/sources.list ]]; then
      sed -nE 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list >"$apt/sources.list"
    else
      : >"$apt/sources.list"
    fi
    local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/sources.list.d"
      -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=root")
    apt-get "${opts[@]}" update -qq >&2 || log "apt-get update (deb-src) reported errors; trying anyway"
    (cd "$p/dl" && apt-get "${opts[@]}" source --download-only -qq docker.io >&2) || return 1
    local orig
    orig=$(ls "$p"/dl/docker.io_*.orig.tar.* 2>/dev/null | head -n1)
    [[ -n $orig ]] || return 1
    rm -rf "$p/src" "$p/src-x" && mkdir -p "$p/src-x" || return 1
    tar -xf "$orig" -C "$p/src-x" --wildcards \
      '*/engine/vendor.conf' '*/engine/vendor/github.com/moby/buildkit/*' '*/engine/api/*' || return 1
    local engine
    engine=$(dirname "$(find "$p/src-x" -maxdepth 4 -path '*/engine/vendor.conf' | head -n1)")
    [[ -f $engine/vendor.conf ]] && mkdir -p "$p/src" && mv "$engine" "$p/src/engine" && rm -rf "$p/src-x" || return 1
    basename "$(ls "$p"/dl/docker.io_*.dsc | head -n1)" .dsc | sed 's/^docker\.io_//' >"$p/docker.io.version"
    touch "$p/src.done"
  fi

  local gp="$p/gopath"
  rm -rf "$gp" && mkdir -p "$gp/src/github.com/moby" "$gp/src/github.com/docker/docker" "$gp/src/buildkit-parse" &&
    cp -r "$p/src/engine/vendor/github.com/moby/buildkit" "$gp/src/github.com/moby/" &&
    cp -r "$p/src/engine/api" "$gp/src/github.com/docker/docker/" &&
    cp "$ROOT/benchmarks/peer/buildkit-parse.go" "$gp/src/buildkit-parse/" || return 1
  (cd "$gp/src/buildkit-parse" &&
    GO111MODULE=off GOPROXY=off GOFLAGS= GOPATH="$gp:/usr/share/gocode" GOCACHE="$p/gocache" \
      go build -o "$OUT/buildkit-parse" .) >&2 || return 1
  local commit
  # vendor.conf line: github.com/moby/buildkit COMMIT # VERSION
  commit=$(awk '$1 == "github.com/moby/buildkit" { print $4 " (commit " $2 ")"; exit }' "$p/src/engine/vendor.conf")
  echo "$(cat "$p/docker.io.version")|$commit"
}

PEER_INFO=""
if [[ $PEER == 1 ]]; then
  log "building the BuildKit peer"
  if PEER_INFO=$(build_peer) && [[ -x $OUT/buildkit-parse ]]; then
    for n in 20000 40000; do
      if ! "$OUT/buildkit-parse" "$OUT/recipe-$n-bk08.Dockerfile" >/dev/null; then
        log "the BuildKit peer rejected recipe-$n-bk08.Dockerfile; peer skipped"
        PEER_INFO=""
      fi
    done
  else
    log "could not build the BuildKit peer; peer skipped"
    PEER_INFO=""
  fi
fi

# ---- timing -----------------------------------------------------------------------
# Each case gets 1 warm-up run, then RUNS timed rounds; a round runs every case once, so a
# burst of load from elsewhere hits all cases alike instead of one. Each timed run appends
# "NAME t0 t1 rss_kib" to $RESULTS. Wall time is taken around GNU time (which adds well
# under a millisecond); peak RSS is GNU time's %M.
RESULTS="$OUT/parser-results.txt"
: >"$RESULTS"
CASES=() CMDS=()
add_case() { # add_case NAME CMD...: the command is kept shell-quoted, run with eval
  local q
  CASES+=("$1")
  shift
  printf -v q '%q ' "$@"
  CMDS+=("$q")
}
for n in 20000 40000; do
  add_case "mab-$n" "$MAB" parse -f "$OUT/recipe-$n.Dockerfile"
done
if [[ -n $PEER_INFO ]]; then
  for n in 20000 40000; do
    add_case "mab08-$n" "$MAB" parse -f "$OUT/recipe-$n-bk08.Dockerfile"
    add_case "bk08-$n" "$OUT/buildkit-parse" "$OUT/recipe-$n-bk08.Dockerfile"
    add_case "bk08n-$n" "$OUT/buildkit-parse" -n "$OUT/recipe-$n-bk08.Dockerfile"
  done
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
log "timing (${#CASES[@]} cases; 1 warm-up each, then $RUNS rounds)"
for c in "${!CASES[@]}"; do
  eval "${CMDS[c]}" >/dev/null
done
for ((i = 0; i < RUNS; i++)); do
  for c in "${!CASES[@]}"; do
    t0=$EPOCHREALTIME
    eval "\"\$GNU_TIME\" -f %M -o \"\$OUT/time.out\" ${CMDS[c]}" >/dev/null
    t1=$EPOCHREALTIME
    echo "${CASES[c]} $t0 $t1 $(tail -n1 "$OUT/time.out")" >>"$RESULTS"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# ---- report -----------------------------------------------------------------------
python3 - "$RESULTS" "$RUNS" "$PEER_INFO" "$LOAD_BEFORE" "$LOAD_AFTER" <<'EOF'
import statistics, sys
from collections import defaultdict

results, runs, peer, load_before, load_after = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
wall, rss = defaultdict(list), defaultdict(list)
for line in open(results):
    name, t0, t1, kib = line.split()
    wall[name].append(float(t1) - float(t0))
    rss[name].append(int(kib))

def med(name): return statistics.median(wall[name])
def mib(name): return max(rss[name]) / 1024

print(f"CMD FILE > /dev/null: median and min of {runs} interleaved runs after 1 warm-up; peak RSS = max over runs")
print(f"load average (1/5/15 min) before timing: {load_before}; after: {load_after}")
print()
print(f"| {'recipe':<38} | {'lines':>6} | {'median s':>8} | {'min s':>7} | {'lines/s':>10} | {'peak RSS MiB':>12} |")
print(f"|{'-'*40}|{'-'*8}|{'-'*10}|{'-'*9}|{'-'*12}|{'-'*14}|")
rows = [("mab", "mab", "")]
if peer:
    rows += [("mab08", "mab", " (v0.8 dialect)"), ("bk08", "BuildKit v0.8", " (v0.8 dialect)"),
             ("bk08n", "BuildKit v0.8, no dump", " (v0.8 dialect)")]
for key, label, suffix in rows:
    for n in (20000, 40000):
        name = f"{key}-{n}"
        m = med(name)
        print(f"| {label + suffix:<38} | {n:>6} | {m:>8.4f} | {min(wall[name]):>7.4f} | {n / m:>10,.0f} | {mib(name):>12.1f} |")
print()
lps = 20000 / med("mab-20000")
peak = max(mib("mab-20000"), mib("mab-40000"))
ratio = med("mab-40000") / med("mab-20000")
def verdict(ok): return "met" if ok else "NOT met"
print("Goals (mab, full-syntax recipes):")
print(f"  lines/s at 20k lines     {lps:>10,.0f}   goal >= 500,000   {verdict(lps >= 500000)}")
print(f"  peak RSS                 {peak:>10.1f}   goal < 50 MiB     {verdict(peak < 50)}")
print(f"  time(40k) / time(20k)    {ratio:>10.2f}   goal <= 2.1       {verdict(ratio <= 2.1)}")
if peer:
    version, commit = peer.split("|", 1)
    print()
    print(f"Peer: BuildKit {commit}, vendored in Debian's docker.io {version} source,")
    print("parser.Parse + instructions.Parse + Node.Dump (benchmarks/peer/buildkit-parse.go; 'no dump' = -n,")
    print("validation only), on the same v0.8-dialect files as 'mab (v0.8 dialect)':")
    for n in (20000, 40000):
        print(f"  {n} lines: BuildKit / mab time = {med(f'bk08-{n}') / med(f'mab08-{n}'):.1f}x, "
              f"RSS {mib(f'bk08-{n}'):.1f} vs {mib(f'mab08-{n}'):.1f} MiB")
    for n in (20000, 40000):
        print(f"  {n} lines: BuildKit without the dump / mab time = {med(f'bk08n-{n}') / med(f'mab08-{n}'):.1f}x")
    print(f"  time(40k) / time(20k): BuildKit {med('bk08-40000') / med('bk08-20000'):.2f}, "
          f"BuildKit without the dump {med('bk08n-40000') / med('bk08n-20000'):.2f}, "
          f"mab {med('mab08-40000') / med('mab08-20000'):.2f}")
else:
    print()
    print("Peer: not measured in this run. Reference, NOT measured here: BuildKit v0.26.3's parser")
    print("on such a file: 1.5 s for 20,000 lines, 5.4 s for 40,000 lines.")
EOF
