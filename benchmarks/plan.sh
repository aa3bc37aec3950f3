#!/usr/bin/env bash
# Planning benchmark: 200 stages x 2 platforms over a 50,000-file context (hashing
# included, warm page cache), first plan and re-plan with nothing changed (persisted
# file-hash cache). Usage: benchmarks/plan.sh [FILES]
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${1:-50000}
dpkg-query -W -f='${Status}' time 2>/dev/null | grep -q "install ok installed" || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
bash scripts/setup.sh >/dev/null
swift build -c release --static-swift-stdlib --product mab >/dev/null
MAB=$PWD/.build/release/mab
OUT=$PWD/benchmarks/out/plan
if [[ ! -f $OUT/.done-$FILES ]]; then
  rm -rf "$OUT"; mkdir -p "$OUT"
  python3 benchmarks/gen-plan-context.py "$OUT/context" "$FILES"
  touch "$OUT/.done-$FILES"
fi
find "$OUT/context/src" -type f -exec cat {} + > /dev/null   # warm page cache
run() { # label
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$OUT/rss" "$MAB" plan "$OUT/context" --platform linux/amd64,linux/arm64 --home "$OUT/home" --format json > "$OUT/plan.json"
  end=$(date +%s.%N)
  printf '| %s | %.3f | %d |\n' "$1" "$(python3 -c "print($end-$start)")" "$(( $(cat "$OUT/rss") / 1024 ))"
}
echo "context: $FILES files; recipe: $(wc -l < "$OUT/context/Dockerfile") lines, 201 stages; $(nproc) cores"
echo
echo "| run | seconds | peak RSS MiB |"
echo "|---|---:|---:|"
rm -rf "$OUT/home"
run "first plan (no hash cache)"
run "re-plan, nothing changed"
run "re-plan, nothing changed (again)"
echo "vertices: $(python3 -c "import json; print(len(json.load(open('$OUT/plan.json'))['vertices']))")"
echo "goals: first plan < 1.5 s, re-plan < 0.3 s, peak < 300 MiB"
