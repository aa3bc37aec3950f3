#!/usr/bin/env bash
# Layer benchmark: mab's layer writer (gzip, zstd) and extractor against the GNU pipelines
# on the same generated tree, in one run. Usage: benchmarks/layers.sh [FILES]
# Prints a table of seconds, throughput (MiB/s of tar) and ratios; peak RSS for mab.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${1:-20000}
need=()
for p in pigz zstd time; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p"); done
if ((${#need[@]})); then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi
bash scripts/setup.sh >/dev/null
swift build -c release --product mab >/dev/null
MAB=$PWD/.build/release/mab
OUT=${BENCH_OUT:-$PWD/benchmarks/out/layers}
mkdir -p "$OUT"
TREE=$OUT/tree
if [[ ! -f $OUT/tree.done || $(cat "$OUT/tree.done") != "$FILES" ]]; then
  rm -rf "$TREE"; python3 benchmarks/gen-tree.py "$TREE" "$FILES"; echo "$FILES" > "$OUT/tree.done"
fi
TARBYTES=$(tar --sort=name -C "$TREE" -cf - . | wc -c)
MIB=$(python3 -c "print($TARBYTES/1048576)")
sync
echo "tree: $FILES files, tar $(python3 -c "print(round($MIB,1))") MiB; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

declare -A T
measure() { # name command...
  local name=$1; shift
  local start end
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  cat "$TREE"/*/*/* >/dev/null 2>&1 || true
  start=$(date +%s.%N)
  bash -c "$*" > "$OUT/$name.out" 2> "$OUT/$name.err"
  end=$(date +%s.%N)
  T[$name]=$(python3 -c "print($end-$start)")
}
rss() { grep -o 'RSS [0-9]*' "$OUT/$1.err" | awk '{print int($2/1024)}'; }

measure gnu_gzip "tar --sort=name -C '$TREE' -cf - . | gzip -6 | sha256sum"
measure pigz "tar --sort=name -C '$TREE' -cf - . | pigz -6 -p $(nproc) | sha256sum"
measure gnu_zstd "tar --sort=name -C '$TREE' -cf - . | zstd -3 -T1 -q | sha256sum"
measure mab_gzip_1 "/usr/bin/time -f 'RSS %M' $MAB layer create '$TREE' -o '$OUT/layer-1.tar.gz' --compression gzip --threads 1"
measure mab_gzip_n "/usr/bin/time -f 'RSS %M' $MAB layer create '$TREE' -o '$OUT/layer-n.tar.gz' --compression gzip --threads $(nproc)"
measure mab_zstd "/usr/bin/time -f 'RSS %M' $MAB layer create '$TREE' -o '$OUT/layer.tar.zst' --compression zstd --threads 1"
cmp -s "$OUT/layer-1.tar.gz" "$OUT/layer-n.tar.gz" && SAME=yes || SAME=NO
rm -rf "$OUT/x-tar" "$OUT/x-mab"; mkdir -p "$OUT/x-tar"
measure tar_extract "tar -xzf '$OUT/layer-n.tar.gz' -C '$OUT/x-tar'"
measure mab_extract "/usr/bin/time -f 'RSS %M' $MAB layer apply '$OUT/layer-n.tar.gz' '$OUT/x-mab'"
diff -r "$OUT/x-tar" "$OUT/x-mab" >/dev/null && EXTRACT_SAME=yes || EXTRACT_SAME=NO

row() { # label name baseline
  python3 - "$1" "${T[$2]}" "${T[$3]}" "$MIB" "$4" <<'PY'
import sys
label, t, base, mib, rss = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
print(f"| {label} | {t:.2f} | {mib/t:.0f} | {base/t:.2f}x | {rss} |")
PY
}
echo
echo "| run | seconds | MiB/s | vs baseline | peak RSS MiB |"
echo "|---|---|---|---|---|"
row "tar \| gzip -6 \| sha256sum (baseline for gzip)" gnu_gzip gnu_gzip "-"
row "tar \| pigz -6 -p $(nproc) \| sha256sum" pigz gnu_gzip "-"
row "mab layer create --compression gzip --threads 1" mab_gzip_1 gnu_gzip "$(rss mab_gzip_1)"
row "mab layer create --compression gzip --threads $(nproc)" mab_gzip_n gnu_gzip "$(rss mab_gzip_n)"
row "tar \| zstd -3 -T1 \| sha256sum (baseline for zstd)" gnu_zstd gnu_zstd "-"
row "mab layer create --compression zstd" mab_zstd gnu_zstd "$(rss mab_zstd)"
row "tar -xzf (baseline for extraction)" tar_extract tar_extract "-"
row "mab layer apply" mab_extract tar_extract "$(rss mab_extract)"
echo
echo "gzip output identical for 1 and $(nproc) threads: $SAME; extracted trees identical: $EXTRACT_SAME"
echo "sizes: gzip $(stat -c %s "$OUT/layer-n.tar.gz") bytes, zstd $(stat -c %s "$OUT/layer.tar.zst") bytes, GNU gzip $(tar --sort=name -C "$TREE" -cf - . | gzip -6 | wc -c) bytes"
