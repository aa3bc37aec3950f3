#!/usr/bin/env bash
# mab diff's speed and memory (issue 14): two images of ~300 MiB of files each (the tree of
# benchmarks/gen-tree.py, 12,000 files; B has 50 files changed), imported into a store and
# compared. Reports wall time, MiB/s of uncompressed file content read (both sides, as mab
# counts it: contentBytes) and peak RSS. Goal: >= 200 MiB/s, < 150 MiB.
# Usage: benchmarks/diff.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
command -v /usr/bin/time >/dev/null || apt-get install -y time >/dev/null
[[ -x .build/release/mab ]] || swift build -c release --static-swift-stdlib --product mab
OUT=$PWD/benchmarks/out/diff
rm -rf "$OUT" && mkdir -p "$OUT"
export MAB_HOME=$OUT/home
python3 benchmarks/gen-tree.py "$OUT/a" 12000 42 >/dev/null
cp -a "$OUT/a" "$OUT/b"
find "$OUT/b" -type f | sort | awk 'NR % 240 == 0' | while read -r f; do printf 'changed\n' >> "$f"; done
mab=.build/release/mab
SOURCE_DATE_EPOCH=1700000000 $mab import "linux/amd64=$OUT/a" -t bench/a >/dev/null
SOURCE_DATE_EPOCH=1700000000 $mab import "linux/amd64=$OUT/b" -t bench/b >/dev/null
echo "tree: $(du -sm "$OUT/a" | cut -f1) MiB, $(find "$OUT/a" -type f | wc -l) files per image"
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$OUT/time" $mab diff bench/a bench/b --format json > "$OUT/diff.json" || [[ $? == 1 ]]
  read -r secs rss < <(tail -1 "$OUT/time")
  bytes=$(python3 -c "import json;print(json.load(open('$OUT/diff.json'))['platforms'][0]['contentBytes'])")
  changed=$(python3 -c "import json;print(len(json.load(open('$OUT/diff.json'))['platforms'][0]['files']))")
  python3 -c "print(f'mab diff: {$secs:.2f} s, {$bytes/1048576/$secs:.0f} MiB/s of file content, peak RSS {$rss/1024:.0f} MiB, {$changed} files changed')"
done
