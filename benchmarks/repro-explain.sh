#!/usr/bin/env bash
# mab repro's overhead and mab cache explain's speed (issue 14), on the build benchmark's
# recipes R1 (2,000 files + 100 MiB written by RUN, COPY --from, RUN; amd64+arm64) and R2
# (COPY of a 20,000-file context, RUN; amd64+arm64), FROM a busybox base imported into the
# store (no registry needed).
#   repro: `mab repro --runs 2` with no variation (repro's own machinery: fresh stores,
#          seeding, comparison, cleanup), with every variation, and with all but mtimes;
#          repro's own time = its wall time minus the two builds' own wall times (as the
#          report's runs[].seconds measure them, each a `mab build` process); for scale, two
#          plain `mab build`s in fresh stores.
#   explain: `mab cache explain` after a build, nothing changed, and with one context file
#          changed (R2); goal < 0.3 s.
# Usage: benchmarks/repro-explain.sh [RUNS]     (default 3; medians)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
[[ -x .build/release/mab ]] || swift build -c release --static-swift-stdlib --product mab
[[ -x .build/fixtures/busybox/arm64/bin/busybox ]] || bash scripts/busybox-rootfs.sh .build/fixtures/busybox
mab=$PWD/.build/release/mab
OUT=$PWD/benchmarks/out/repro-explain
rm -rf "$OUT/homes" "$OUT/r1" && mkdir -p "$OUT/homes" "$OUT/r1"
BASE=localhost:5000/mab/busybox:1.35
export SOURCE_DATE_EPOCH=1700000000
seed() { MAB_HOME=$1 $mab import linux/amd64=.build/fixtures/busybox/amd64 linux/arm64=.build/fixtures/busybox/arm64 -t $BASE >/dev/null 2>&1; }
[[ -d $OUT/r2/ctx ]] || python3 benchmarks/gen-build-context.py "$OUT/r2/ctx" 20000 200 >/dev/null
cat > "$OUT/r1/Dockerfile" <<RECIPE
FROM $BASE AS gen
RUN mkdir -p /out && i=0; while [ \$i -lt 2000 ]; do echo "file \$i" > /out/f\$i; i=\$((i+1)); done && dd if=/dev/zero of=/out/zero bs=1M count=100
FROM $BASE
COPY --from=gen /out /data
RUN ls /data | wc -l > /count && du -s /data > /size
CMD ["cat", "/count"]
RECIPE
cat > "$OUT/r2/Dockerfile" <<RECIPE
FROM $BASE
COPY ctx/ /app/
RUN find /app -type f | wc -l > /n
RECIPE
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }

for r in r1 r2; do
  ctx=$OUT/$r
  plain=()
  declare -A total=() own=()
  for i in $(seq "$RUNS"); do
    # Two plain builds, each in a fresh store (the base imported before the clock starts).
    t=0
    for k in 1 2; do
      h=$OUT/homes/plain-$r-$i-$k; seed "$h"
      s=$(now); MAB_HOME=$h $mab build "$ctx" --platform linux/amd64,linux/arm64 --progress plain >/dev/null 2>&1; e=$(now)
      t=$(python3 -c "print($t + $e - $s)")
    done
    plain+=("$t")
    h=$OUT/homes/repro-$r-$i; seed "$h"
    for vary in none all context-path,umask,time,order,parallelism; do
      s=$(now)
      MAB_HOME=$h $mab repro "$ctx" --platform linux/amd64,linux/arm64 --progress plain --vary $vary --format json > "$OUT/repro.json" 2>/dev/null || [[ $? == 1 ]]
      e=$(now)
      read -r tt oo < <(python3 -c "import json; d=json.load(open('$OUT/repro.json')); print($e-$s, sum(r['seconds'] for r in d['runs']))")
      total[$vary]+="$tt " own[$vary]+="$oo "
      python3 -c "import json; d=json.load(open('$OUT/repro.json')); print('$r --vary $vary:', 'reproducible' if d['reproducible'] else 'NOT reproducible: ' + '; '.join(f\"{i['platform']} layer {l['index']} {f['path']}\" for i in d['images'] for c in i['comparisons'] for l in c['layers'] for f in l['files']))"
    done
    rm -rf "$OUT"/homes/*-$r-$i*
  done
  echo "$r: two plain builds in fresh stores $(printf '%s\n' "${plain[@]}" | median) s"
  for vary in none all context-path,umask,time,order,parallelism; do
    python3 - "$r" "$vary" "$(tr ' ' '\n' <<< "${total[$vary]}" | grep . | median)" "$(tr ' ' '\n' <<< "${own[$vary]}" | grep . | median)" <<'PY'
import sys
r, vary, total, own = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
print(f"{r}: repro --vary {vary}: {total:.2f} s, its two builds {own:.2f} s, repro's own time {total-own:.2f} s ({(total-own)/own*100:+.1f}%)")
PY
  done
  unset total own
done

# cache explain: one store, each recipe built once.
h=$OUT/homes/explain; seed "$h"
for r in r1 r2; do MAB_HOME=$h $mab build "$OUT/$r" --platform linux/amd64,linux/arm64 --progress plain >/dev/null 2>&1; done
for r in r1 r2; do
  ts=()
  for i in $(seq $((RUNS * 3))); do
    s=$(now); MAB_HOME=$h $mab cache explain "$OUT/$r" --platform linux/amd64,linux/arm64 > "$OUT/explain.txt"; e=$(now)
    ts+=("$(python3 -c "print($e-$s)")")
  done
  echo "$r: cache explain, nothing changed: $(printf '%s\n' "${ts[@]}" | median) s ($(tail -1 "$OUT/explain.txt"))"
done
f=$OUT/r2/ctx/d000/f00000.txt; cp -p "$f" "$OUT/f.pristine"
echo "changed $(date +%s.%N)" >> "$f"
ts=()
for i in $(seq $((RUNS * 3))); do
  s=$(now); MAB_HOME=$h $mab cache explain "$OUT/r2" --platform linux/amd64,linux/arm64 > "$OUT/explain.txt"; e=$(now)
  ts+=("$(python3 -c "print($e-$s)")")
done
cp -p "$OUT/f.pristine" "$f"
echo "r2: cache explain, one file changed: $(printf '%s\n' "${ts[@]}" | median) s ($(grep -m1 MISS "$OUT/explain.txt" | sed 's/  */ /g' | cut -c1-150))"
rm -rf "$OUT/homes"
