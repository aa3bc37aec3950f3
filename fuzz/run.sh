#!/usr/bin/env bash
# Build and run the libFuzzer target for the Recipe module (Dockerfile parser, shell-word
# expansion, .dockerignore matching).
#
#   fuzz/run.sh [SECONDS]        # default 300
#
# Environment:
#   SWIFTC        swiftc to use (default: /opt/swift/usr/bin/swiftc if present, else swiftc)
#   FUZZ_ARGS     extra libFuzzer flags appended to the command line (e.g. "-seed=1")
#   SKIP_BUILD=1  reuse fuzz/out/recipe-fuzzer as it is
#   KEEP_GOING=1  fork mode with one worker (-fork=1 -ignore_crashes=1 -ignore_timeouts=1
#                 -ignore_ooms=1): still one fuzzing process at a time, but a crash or
#                 timeout is saved and fuzzing continues instead of stopping
#
# Everything generated goes to fuzz/out/ (git-ignored): the binary, the corpus
# (fuzz/out/corpus), the log (fuzz/out/fuzz.log) and any crash-*/timeout-*/oom-*/leak-*
# artifacts. Committed regression inputs live in fuzz/crashes/ and are replayed first.
#
# Exit status: 0 if nothing was found, 1 if a regression input or the fuzzer produced a
# crash/timeout/oom/leak, 2 on build or usage errors, 130 if interrupted with nothing found.
set -uo pipefail

SECONDS_TO_RUN="${1:-300}"
if ! [[ "$SECONDS_TO_RUN" =~ ^[0-9]+$ ]]; then
    echo "usage: fuzz/run.sh [SECONDS]" >&2
    exit 2
fi

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

OUT=fuzz/out
BIN="$OUT/recipe-fuzzer"
CORPUS="$OUT/corpus"
LOG="$OUT/fuzz.log"
FIXTURES=Tests/RecipeTests/Fixtures/buildkit-dockerfile
mkdir -p "$OUT" "$CORPUS"

if [[ -z "${SWIFTC:-}" ]]; then
    if [[ -x /opt/swift/usr/bin/swiftc ]]; then SWIFTC=/opt/swift/usr/bin/swiftc; else SWIFTC=swiftc; fi
fi
TOOLDIR="$(dirname "$(command -v "$SWIFTC")")"
# Symbolised ASan stacks.
if [[ -x "$TOOLDIR/llvm-symbolizer" ]]; then export ASAN_SYMBOLIZER_PATH="$TOOLDIR/llvm-symbolizer"; fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}"

# ---------------------------------------------------------------------------------------
# Build. SwiftPM executable targets bring their own main, which clashes with libFuzzer's,
# so compile the target and the Recipe sources as one module with swiftc. lld avoids a
# flood of ld.gold warnings about ASan's local symbols.
if [[ "${SKIP_BUILD:-0}" != 1 || ! -x "$BIN" ]]; then
    echo "==> building $BIN"
    # Build from a snapshot so edits to Sources/ during the build cannot break it
    # (file names in stacks are then fuzz/out/src/Recipe/... = Sources/Recipe/...).
    rm -rf "$OUT/src" && mkdir -p "$OUT/src" && cp -R Sources/Recipe "$OUT/src/Recipe"
    mapfile -t SOURCES < <(find "$OUT/src/Recipe" -name '*.swift' | sort)
    if ! "$SWIFTC" -O -sanitize=fuzzer,address -parse-as-library -use-ld=lld \
        -module-name RecipeFuzz fuzz/RecipeFuzzer.swift "${SOURCES[@]}" -o "$BIN"; then
        echo "build failed" >&2
        exit 2
    fi
fi

# ---------------------------------------------------------------------------------------
# Seed corpus (libFuzzer names its own additions by SHA-1; seeds keep readable names and
# are refreshed on every run).
seed() { # seed NAME FILE
    cp -f "$2" "$CORPUS/seed-$1"
}
for f in "$FIXTURES"/parser-testfiles/*/Dockerfile; do seed "pos-$(basename "$(dirname "$f")")" "$f"; done
for f in "$FIXTURES"/parser-testfiles-negative/*/Dockerfile; do seed "neg-$(basename "$(dirname "$f")")" "$f"; done
for f in examples/*/Dockerfile; do seed "example-$(basename "$(dirname "$f")")" "$f"; done
for f in examples/*/.dockerignore; do [[ -f "$f" ]] && seed "ignore-$(basename "$(dirname "$f")")" "$f"; done
# Words from BuildKit's expansion tables (the part between the first two '|').
n=0
for t in envVarTest wordsTest; do
    [[ -f "$FIXTURES/$t" ]] || continue
    while IFS= read -r line; do
        [[ -z "$line" || "$line" == \#* ]] && continue
        word="${line#*|}"; word="${word%%|*}"
        word="${word%"${word##*[![:space:]]}"}"   # trim trailing blanks
        [[ -z "$word" ]] && continue
        n=$((n + 1))
        printf '%s' "$word" > "$CORPUS/seed-$t-$n"
    done < "$FIXTURES/$t"
done
# (Regression inputs in fuzz/crashes/ are replayed below rather than used as seeds: an
# unfixed one would stop the run at once.)
echo "==> corpus: $(find "$CORPUS" -type f | wc -l) files in $CORPUS"

# ---------------------------------------------------------------------------------------
# Replay committed regression inputs.
FOUND=0
REGRESSIONS=0
if compgen -G "fuzz/crashes/*" > /dev/null; then
    echo "==> replaying fuzz/crashes/*"
    for f in fuzz/crashes/*; do
        [[ -f "$f" && "$(basename "$f")" != README* ]] || continue
        if "$BIN" -timeout=5 -rss_limit_mb=2048 "$f" > "$OUT/replay-$(basename "$f").log" 2>&1; then
            echo "    ok     $f"
        else
            echo "    FAILS  $f (see $OUT/replay-$(basename "$f").log)"
            REGRESSIONS=$((REGRESSIONS + 1))
        fi
    done
fi

# ---------------------------------------------------------------------------------------
# Fuzz.
MARK="$OUT/.run-start"
touch "$MARK"
sleep 1 # artifacts must be strictly newer than the marker
# One fuzzing process, in the foreground. (libFuzzer's -jobs=1 would fork a worker and
# send its output to fuzz-0.log, so it is deliberately not used.)
CMD=("$BIN" "$CORPUS" -dict=fuzz/dockerfile.dict -artifact_prefix="$OUT/"
    -max_total_time="$SECONDS_TO_RUN" -timeout=5 -rss_limit_mb=2048 -max_len=4096
    -print_final_stats=1)
if [[ "${KEEP_GOING:-0}" == 1 ]]; then
    CMD+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi
# shellcheck disable=SC2206
CMD+=(${FUZZ_ARGS:-})
echo "==> ${CMD[*]}"
echo "==> started $(date -u '+%Y-%m-%dT%H:%M:%SZ'), $SECONDS_TO_RUN s"
"${CMD[@]}" 2>&1 | tee "$LOG" \
    | grep --line-buffered -E '^#[0-9]+\s+(INITED|pulse|DONE)|^#[0-9]+: |ERROR|SUMMARY|Test unit written|Done |exiting:'
STATUS=${PIPESTATUS[0]}
echo "==> finished $(date -u '+%Y-%m-%dT%H:%M:%SZ'), libFuzzer exit status $STATUS"

# ---------------------------------------------------------------------------------------
# Report.
# In-process mode ends with stat::number_of_executed_units; fork mode only has its
# periodic "#N: cov: ..." lines, whose N is the total so far.
EXECS=$(grep -E '^stat::number_of_executed_units:' "$LOG" | awk '{print $2}' | tail -1)
LAST=$(grep -E '^#[0-9]+' "$LOG" | tail -1)
if [[ -z "$EXECS" ]]; then EXECS=$(sed -nE 's/^#([0-9]+).*/\1/p' <<< "$LAST"); fi
COV=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<< "$LAST")
FT=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<< "$LAST")
echo "executions:   ${EXECS:-unknown}"
echo "last line:    ${LAST:-none}"
echo "coverage:     cov=${COV:-?} ft=${FT:-?}"
echo "corpus:       $(find "$CORPUS" -type f | wc -l) files, $(du -sk "$CORPUS" | cut -f1) KiB on disk; libFuzzer: $(sed -nE 's/.* corp: ([0-9]+(\/[0-9]+[a-zA-Z]*)?).*/\1/p' <<< "$LAST")"

mapfile -t ARTIFACTS < <(find "$OUT" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' \
    -o -name 'oom-*' -o -name 'leak-*' -o -name 'slow-unit-*' \) -newer "$MARK" | sort)
REAL=()
for a in "${ARTIFACTS[@]}"; do [[ "$(basename "$a")" == slow-unit-* ]] || REAL+=("$a"); done
if ((${#REAL[@]})); then
    FOUND=1
    echo "FOUND ${#REAL[@]} artifact(s):"
    for a in "${REAL[@]}"; do
        echo "  $a ($(stat -c %s "$a") bytes)"
        od -An -c "$a" | head -8 | sed 's/^/      /'
    done
    if [[ -x "$TOOLDIR/swift-demangle" ]]; then
        echo "--- stack (demangled) ---"
        sed -n '/==ERROR\|Fatal error\|deadly signal\|ALARM/,/SUMMARY/p' "$LOG" | "$TOOLDIR/swift-demangle" --simplified | head -60
    fi
elif ((STATUS == 72)); then
    echo "found:        nothing (interrupted)"
    ((FOUND)) || FOUND=130
elif ((STATUS != 0)); then
    FOUND=1
    echo "libFuzzer exited with status $STATUS without leaving an artifact; see $LOG"
else
    echo "found:        nothing new"
fi
if ((REGRESSIONS)); then
    echo "regressions:  $REGRESSIONS input(s) in fuzz/crashes/ still crash or hang (see above)"
    FOUND=1
fi
exit "$FOUND"
