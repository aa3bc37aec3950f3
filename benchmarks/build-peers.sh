#!/usr/bin/env bash
# Build benchmark (issue 6): mab build against Docker's BuildKit (docker.io, dockerd's built-in
# BuildKit) and buildah, on three reference recipes, all FROM the same busybox base image
# (linux/amd64 + linux/arm64, made with mab import) in a docker-registry on loopback.
# Usage: benchmarks/build-peers.sh [RUNS]        (default 3; the median of RUNS is reported)
#        MAB=/path/to/mab benchmarks/build-peers.sh   (use that mab instead of building one)
#        RECIPES="r1 r3" benchmarks/build-peers.sh    (only those recipes; default r1 r2 r3)
#        MAB_PREPULL=0|1|auto   (auto: probe once whether a two-platform FROM of a registry image
#                                works in a fresh MAB_HOME; if not, cold mab cases `mab pull` first)
#
#   R1  multi-stage: 2,000 small files + 100 MiB written by RUN, COPY --from, RUN; amd64+arm64
#   R2  big context: COPY of 20,000 small files in 200 directories, then RUN; amd64+arm64
#   R3  big layer: FROM scratch, COPY of the layer benchmark's tree (20,000 files, ~516 MiB);
#       linux/amd64 only
# Cases, for each recipe and tool: cold (every cache of that tool empty), no-op (the same
# build again), one file changed (R2: a file in ctx/; R3: a file in tree/; R1 has no context
# file that it uses, so an unused file in its context is changed: it measures that a change the
# recipe does not see costs nothing).
# Every case writes an image archive and is checked (exit 0, archive present):
#   mab      mab build --platform ... --output type=oci,dest=OUT.tar (fresh MAB_HOME for cold)
#   docker   DOCKER_BUILDKIT=1 docker build --network host --platform linux/ARCH -t ... one
#            platform at a time, then docker save of the tags (docker 20.10's built-in BuildKit
#            has no oci exporter: -o type=oci fails with 'exporter "oci" could not be found'),
#            so the docker column is the builds summed plus the save. Cold: builder prune -af
#            and every image removed. A dockerd of our own (--bridge=none --iptables=false,
#            data under the run directory, socket under /tmp) is started and stopped by PID.
#   buildah  buildah build --isolation chroot --layers --platform ... --manifest L, then
#            buildah manifest push --all L oci-archive:OUT.tar, both timed. Cold: a fresh
#            storage root (--root/--runroot under the run directory, overlay driver).
# A tool that cannot be installed or started gets "n/a"; a case that fails is "fail"; the
# script still prints its tables and exits 0. Timing: GNU time (%e wall s, %M peak RSS KiB);
# each table cell is the median of RUNS, "mab peak MiB" the largest peak RSS of the RUNS.
# Generated data: benchmarks/out/build-peers (gitignored); the R2 context and the R3 tree are
# kept between runs. Goals (issue 6) are printed, not asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${1:-3}
RECIPES=${RECIPES:-r1 r2 r3}
for r in $RECIPES; do [[ $r == r[123] ]] || { echo "build-peers: RECIPES: unknown recipe $r (r1, r2, r3)" >&2; exit 2; }; done
PLATFORMS=linux/amd64,linux/arm64
export DEBIAN_FRONTEND=noninteractive

# --- What the benchmark needs: install what is missing, one package at a time. ---
need=()
for p in docker.io buildah docker-registry time python3 curl qemu-user-static binfmt-support; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  apt-get update -qq || true
  for p in "${need[@]}"; do
    apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 || echo "build-peers: could not install $p" >&2
  done
fi
bash scripts/setup.sh >/dev/null
bash scripts/busybox-rootfs.sh .build/fixtures/busybox >/dev/null
if [[ -z ${MAB:-} ]]; then
  swift build -c release --static-swift-stdlib --product mab >/dev/null
  MAB=$ROOT/.build/release/mab
fi
[[ -x $MAB ]] || { echo "build-peers: no mab at $MAB" >&2; exit 1; }

# arm64 runs under qemu-user through binfmt_misc; the F flag lets it work inside chroots.
[[ -e /proc/sys/fs/binfmt_misc/status ]] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || true
BINFMT=/proc/sys/fs/binfmt_misc/qemu-aarch64
[[ -e $BINFMT ]] || update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
if [[ -e $BINFMT ]] && head -n1 "$BINFMT" | grep -qx enabled && grep -q '^flags: .*F' "$BINFMT"; then
  BINFMT_STATE="qemu-aarch64 enabled, flags $(awk '$1=="flags:"{print $2}' "$BINFMT"), interpreter $(awk '$1=="interpreter"{print $2}' "$BINFMT")"
else
  BINFMT_STATE="qemu-aarch64 NOT registered with the F flag: arm64 steps will fail"
  echo "build-peers: $BINFMT_STATE" >&2
fi

DOCKERD=$(command -v dockerd || true)
DOCKER=''
if [[ -n $DOCKERD ]]; then
  # The CLI that came with this dockerd: a newer docker earlier on PATH (28.x, say) hands
  # DOCKER_BUILDKIT=1 builds to a buildx plugin that docker.io does not ship.
  DOCKER=$(dpkg -L docker.io 2>/dev/null | grep -m1 '/bin/docker$' || true)
  [[ -n $DOCKER && -x $DOCKER ]] || DOCKER=$(command -v docker || true)
fi
BUILDAH_BIN=$(command -v buildah || true)

OUT=$ROOT/benchmarks/out/build-peers
mkdir -p "$OUT"
WORK=$(mktemp -d "$OUT/run.XXXXXX")
SOCKDIR=$(mktemp -d /tmp/mab-build-peers.XXXXXX) # unix socket paths must stay short
REG_PID='' DOCKERD_PID=''
RES=$OUT/results.tsv
: > "$RES"
rm -f "$OUT"/last-mab-*.err "$OUT"/failed-*.err

stop_pid() { # pid [seconds]
  local pid=$1 i
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq $((${2:-30} * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}
umount_under() { # unmount whatever is still mounted below a directory (deepest first)
  local m
  awk -v d="$1/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}
buildah_wipe() {
  [[ -d $WORK/buildah ]] || return 0
  "$BUILDAH_BIN" --root "$WORK/buildah/root" --runroot "$WORK/buildah/run" --storage-driver overlay rm -a >/dev/null 2>&1 || true
  "$BUILDAH_BIN" --root "$WORK/buildah/root" --runroot "$WORK/buildah/run" --storage-driver overlay rmi -af >/dev/null 2>&1 || true
  umount_under "$WORK/buildah"
  rm -rf "$WORK/buildah"
}
cleanup() {
  local r
  for r in $RECIPES; do
    if [[ -v CHANGE[$r] && -f $OUT/$r.pristine ]]; then cp -p "$OUT/$r.pristine" "${CHANGE[$r]}"; fi
  done
  if [[ -n $BUILDAH_BIN ]]; then buildah_wipe; fi
  stop_pid "$DOCKERD_PID" 60
  umount_under "$WORK/docker"
  umount_under "$SOCKDIR"
  stop_pid "$REG_PID"
  rm -rf "$WORK" "$SOCKDIR"
}
trap cleanup EXIT

# --- Contexts (kept between runs) ---
R1=$OUT/r1 R2=$OUT/r2 R3=$OUT/r3
mkdir -p "$R1/ctx"
echo "not used by the recipe" > "$R1/ctx/unused.txt"
STAMP="gen=$(sha256sum benchmarks/gen-build-context.py | cut -c1-16)"
if [[ " $RECIPES " == *" r2 "* ]] && [[ ! -f $R2/done || $(cat "$R2/done") != "$STAMP" ]]; then
  rm -rf "$R2" "$OUT/r2.pristine"; mkdir -p "$R2"
  python3 benchmarks/gen-build-context.py "$R2/ctx" 20000 200 >&2
  echo "$STAMP" > "$R2/done"
fi
STAMP="gen=$(sha256sum benchmarks/gen-tree.py | cut -c1-16)"
if [[ " $RECIPES " == *" r3 "* ]] && [[ ! -f $R3/done || $(cat "$R3/done") != "$STAMP" ]]; then
  rm -rf "$R3" "$OUT/r3.pristine"; mkdir -p "$R3"
  python3 benchmarks/gen-tree.py "$R3/tree" 20000 >&2
  echo "$STAMP" > "$R3/done"
fi
# The file each recipe's "one file changed" case rewrites, and its pristine copy.
declare -A CHANGE=([r1]=$R1/ctx/unused.txt [r2]=$R2/ctx/d000/f00000.txt [r3]=$R3/tree/d00/s0/f00000.dat)
declare -A CTX=([r1]=$R1/ctx [r2]=$R2 [r3]=$R3)
declare -A PLAT=([r1]=$PLATFORMS [r2]=$PLATFORMS [r3]=linux/amd64)
# (kept: a run stopped during a "changed" case gets its file back from here at exit)
cp -p "${CHANGE[r1]}" "$OUT/r1.pristine"
for r in $RECIPES; do [[ -f $OUT/$r.pristine ]] || cp -p "${CHANGE[$r]}" "$OUT/$r.pristine"; done
restore() { cp -p "$OUT/$1.pristine" "${CHANGE[$1]}"; }
change() { # a new content each time, as an editor saving the file would
  printf 'changed by %s, run %s, %s\n' "$2" "$3" "$(date +%s.%N)" >> "${CHANGE[$1]}"
}

# --- Measurements: one at a time across benchmarks, and not while the fuzzer runs. ---
exec 9> "$ROOT/benchmarks/out/.bench.lock"
flock 9
while pgrep -x recipe-fuzzer > /dev/null; do sleep 10; done

# --- The registry and the base image ---
REG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/registry"
cat > "$WORK/registry/config.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $WORK/registry/data
http:
  addr: 127.0.0.1:$REG_PORT
EOF
docker-registry serve "$WORK/registry/config.yml" > "$WORK/registry/log" 2>&1 &
REG_PID=$!
for i in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$REG_PORT/v2/" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "http://127.0.0.1:$REG_PORT/v2/" || { echo "registry did not start:" >&2; cat "$WORK/registry/log" >&2; exit 1; }
BASE=127.0.0.1:$REG_PORT/mab/busybox:1.35
MAB_HOME=$WORK/import-home SOURCE_DATE_EPOCH=1700000000 "$MAB" import \
  linux/amd64=.build/fixtures/busybox/amd64 linux/arm64=.build/fixtures/busybox/arm64 -t "$BASE" --push \
  > "$WORK/import.out" 2> "$WORK/import.err" || { cat "$WORK/import.err" >&2; exit 1; }
BASE_DIGEST=$(tail -n1 "$WORK/import.out")
rm -rf "$WORK/import-home"

# --- The recipes (the base reference written in) ---
mkdir -p "$OUT/recipes"
cat > "$OUT/recipes/r1.Dockerfile" <<EOF
FROM $BASE AS gen
RUN mkdir -p /out && i=0; while [ \$i -lt 2000 ]; do echo "file \$i" > /out/f\$i; i=\$((i+1)); done && dd if=/dev/zero of=/out/zero bs=1M count=100
FROM $BASE
COPY --from=gen /out /data
RUN ls /data | wc -l > /count && du -s /data > /size
CMD ["cat", "/count"]
EOF
cat > "$OUT/recipes/r2.Dockerfile" <<EOF
FROM $BASE
COPY ctx/ /app/
RUN find /app -type f | wc -l > /n
EOF
cat > "$OUT/recipes/r3.Dockerfile" <<EOF
FROM scratch
COPY tree/ /data/
EOF

# --- Docker: a daemon of our own ---
DOCKER_STATE="n/a (not installed)"
if [[ -n $DOCKERD && -x $DOCKER ]]; then
  mkdir -p "$WORK/docker"
  dockerd --bridge=none --iptables=false --data-root "$WORK/docker/data" --exec-root "$SOCKDIR/exec" \
    --pidfile "$SOCKDIR/docker.pid" -H "unix://$SOCKDIR/docker.sock" > "$WORK/docker/log" 2>&1 &
  DOCKERD_PID=$!
  export DOCKER_HOST=unix://$SOCKDIR/docker.sock
  for i in $(seq 300); do "$DOCKER" version >/dev/null 2>&1 && break; kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.1; done
  if "$DOCKER" version >/dev/null 2>&1; then
    DOCKER_STATE="docker $("$DOCKER" version -f '{{.Server.Version}}'), $("$DOCKER" info -f '{{.Driver}}') storage"
    "$DOCKER" info -f '{{range .RegistryConfig.InsecureRegistryCIDRs}}{{.}} {{end}}' | grep -q '127.0.0.0/8' \
      && DOCKER_STATE+=", 127.0.0.0/8 insecure (plain http) by default" || DOCKER_STATE+=", WARNING: 127.0.0.0/8 not insecure"
  else
    echo "build-peers: dockerd did not start:" >&2; tail -20 "$WORK/docker/log" >&2
    stop_pid "$DOCKERD_PID"; DOCKERD_PID=''; DOCKER=''
    DOCKER_STATE="n/a (dockerd did not start)"
  fi
else
  DOCKER=''
fi
BUILDAH_STATE="n/a (not installed)"
[[ -n $BUILDAH_BIN ]] && BUILDAH_STATE="$("$BUILDAH_BIN" --version), overlay storage, chroot isolation"

# --- Timing ---
LAST_SECS='' LAST_KIB='' LAST_CPU=''
timed() { # name command...   → LAST_SECS, LAST_KIB, LAST_CPU (user+sys); output in $WORK/log/name.{out,err}
  local name=$1; shift
  mkdir -p "$WORK/log"
  local rc=0
  /usr/bin/time -f '%e %M %U %S' -o "$WORK/log/$name.time" "$@" > "$WORK/log/$name.out" 2> "$WORK/log/$name.err" || rc=$?
  local user sys
  read -r LAST_SECS LAST_KIB user sys < <(tail -n1 "$WORK/log/$name.time")
  LAST_CPU="user=$user sys=$sys"
  if ((rc)); then
    echo "FAILED ($rc): $*" >&2; tail -n 15 "$WORK/log/$name.err" >&2
    cp "$WORK/log/$name.err" "$OUT/failed-$name.err"
  fi
  return $rc
}
record() { # recipe case tool run seconds|fail kib detail
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RES"
  printf '  %s %-8s %-7s run %s: %s s %s\n' "$1" "$2" "$3" "$4" "$5" "$7" >&2
}
archive_ok() { [[ -s $1 ]] || { echo "FAILED: no archive $1" >&2; return 1; }; }
add() { python3 -c "import sys; print(round(sum(map(float, sys.argv[1:])), 2))" "$@"; }

# mab: a fresh MAB_HOME is a cold cache. When the build pulls the base for each platform, the
# first pull tags the base with an index of that platform only, and the other platform's FROM
# then fails (mab 0.1.0: BuildCommand.baseImage). PREPULL=1 works around it by `mab pull` of
# the base (all platforms) into the fresh home first, timed as part of the cold case.
PREPULL=${MAB_PREPULL:-auto}
if [[ $PREPULL == auto ]]; then
  mkdir -p "$WORK/probe"
  printf 'FROM %s\nRUN true\n' "$BASE" > "$WORK/probe/Dockerfile"
  if MAB_HOME=$WORK/probe/home "$MAB" build "$WORK/probe" --platform "$PLATFORMS" > /dev/null 2> "$WORK/probe/err1" &&
     MAB_HOME=$WORK/probe/home "$MAB" build "$WORK/probe" --platform "$PLATFORMS" > /dev/null 2> "$WORK/probe/err2"; then
    PREPULL=0
  else
    PREPULL=1
    PREPULL_WHY=$(cat "$WORK/probe/err1" "$WORK/probe/err2" 2>/dev/null | grep -m1 'error' || true)
    echo "build-peers: two-platform FROM of a registry image fails in a fresh MAB_HOME ($PREPULL_WHY); cold mab cases pull the base first" >&2
  fi
  rm -rf "$WORK/probe"
fi

mab_case() { # recipe case run
  local r=$1 c=$2 run=$3 home=$WORK/mab-home-$1 dest=$WORK/mab-$1.tar secs=0 kib=0 detail=''
  rm -f "$dest"
  if [[ $c == cold ]]; then
    rm -rf "$home"
    if ((PREPULL)) && grep -q "^FROM $BASE" "$OUT/recipes/$r.Dockerfile"; then
      if ! timed "mab-$r-$c-$run-pull" env MAB_HOME="$home" "$MAB" pull "$BASE"; then
        record "$r" "$c" mab "$run" fail 0 "pull failed"; return; fi
      secs=$LAST_SECS kib=$LAST_KIB detail="pull=$LAST_SECS"
    fi
  fi
  if timed "mab-$r-$c-$run" env MAB_HOME="$home" SOURCE_DATE_EPOCH=1700000000 "$MAB" build "${CTX[$r]}" \
       -f "$OUT/recipes/$r.Dockerfile" --platform "${PLAT[$r]}" --output "type=oci,dest=$dest" && archive_ok "$dest"; then
    secs=$(add "$secs" "$LAST_SECS"); if ((LAST_KIB > kib)); then kib=$LAST_KIB; fi
    detail+="${detail:+ }build=$LAST_SECS $LAST_CPU steps=$(grep -o '[0-9]* steps run, [0-9]* cached' "$WORK/log/mab-$r-$c-$run.err" | tr ' ,' '_;')"
    detail+=" digest=$(tail -n1 "$WORK/log/mab-$r-$c-$run.out")"
    record "$r" "$c" mab "$run" "$secs" "$kib" "$detail"
    cp "$WORK/log/mab-$r-$c-$run.err" "$OUT/last-mab-$r-$c.err"
  else
    record "$r" "$c" mab "$run" fail 0 ""
  fi
}

docker_clean() {
  "$DOCKER" builder prune -af >/dev/null 2>&1 || true
  "$DOCKER" ps -aq | xargs -r "$DOCKER" rm -f >/dev/null 2>&1 || true
  "$DOCKER" images -aq | sort -u | xargs -r "$DOCKER" rmi -f >/dev/null 2>&1 || true
  "$DOCKER" image prune -af >/dev/null 2>&1 || true
}
docker_case() { # recipe case run
  local r=$1 c=$2 run=$3 dest=$WORK/docker-$1.tar secs=0 tags=() p arch detail=''
  if [[ $c == cold ]]; then docker_clean; fi
  rm -f "$dest"
  for p in ${PLAT[$r]//,/ }; do
    arch=${p#linux/}
    if ! timed "docker-$r-$c-$run-$arch" env DOCKER_BUILDKIT=1 "$DOCKER" build --progress plain --network host \
         --platform "$p" -f "$OUT/recipes/$r.Dockerfile" -t "mab-bench/$r:$arch" "${CTX[$r]}"; then
      record "$r" "$c" docker "$run" fail 0 ""; return; fi
    secs=$(add "$secs" "$LAST_SECS"); tags+=("mab-bench/$r:$arch"); detail+="build-$arch=$LAST_SECS "
  done
  if timed "docker-$r-$c-$run-save" "$DOCKER" save -o "$dest" "${tags[@]}" && archive_ok "$dest"; then
    secs=$(add "$secs" "$LAST_SECS"); detail+="save=$LAST_SECS"
    record "$r" "$c" docker "$run" "$secs" 0 "$detail"
  else
    record "$r" "$c" docker "$run" fail 0 ""
  fi
}

B=()
buildah_case() { # recipe case run
  local r=$1 c=$2 run=$3 dest=$WORK/buildah-$1.tar secs=0 detail=''
  B=("$BUILDAH_BIN" --root "$WORK/buildah/root" --runroot "$WORK/buildah/run" --storage-driver overlay)
  if [[ $c == cold ]]; then buildah_wipe; mkdir -p "$WORK/buildah"; fi
  "${B[@]}" manifest rm "mab-bench-$r" >/dev/null 2>&1 || true # --manifest adds to an existing list
  rm -f "$dest"
  if ! timed "buildah-$r-$c-$run" "${B[@]}" build --isolation chroot --layers --tls-verify=false \
       --platform "${PLAT[$r]}" --manifest "mab-bench-$r" -f "$OUT/recipes/$r.Dockerfile" "${CTX[$r]}"; then
    record "$r" "$c" buildah "$run" fail 0 ""; return; fi
  secs=$LAST_SECS detail="build=$LAST_SECS"
  if timed "buildah-$r-$c-$run-push" "${B[@]}" manifest push --all "mab-bench-$r" "oci-archive:$dest" && archive_ok "$dest"; then
    secs=$(add "$secs" "$LAST_SECS"); detail+=" push=$LAST_SECS"
    record "$r" "$c" buildah "$run" "$secs" 0 "$detail"
  else
    record "$r" "$c" buildah "$run" fail 0 ""
  fi
}

tool_cases() { # tool recipe run   (sync first: no case pays for the write-back of the one before)
  local t=$1 r=$2 run=$3
  restore "$r"
  sync; "${t}_case" "$r" cold "$run"
  sync; "${t}_case" "$r" noop "$run"
  change "$r" "$t" "$run"
  sync; "${t}_case" "$r" changed "$run"
  restore "$r"
}

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(free -g | awk '/^Mem:/{print $2}') GiB; kernel $(uname -r); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mab: $("$MAB" --version) ($MAB); $DOCKER_STATE; $BUILDAH_STATE"
echo "qemu: $(qemu-aarch64-static --version | head -n1); binfmt: $BINFMT_STATE"
echo "registry: $(docker-registry --version | awk '{print $1, $3}') on 127.0.0.1:$REG_PORT; base $BASE = $BASE_DIGEST (mab import --push)"
((PREPULL == 0)) || echo "mab cold cases: mab pull of the base first, then mab build, both timed (see the note on the two-platform FROM)"
echo "runs: $RUNS; recipes: $RECIPES"
for run in $(seq "$RUNS"); do
  for r in $RECIPES; do
    echo "run $run $r" >&2
    tool_cases mab "$r" "$run"
    if [[ -n $DOCKER ]]; then tool_cases docker "$r" "$run"; fi
    if [[ -n $BUILDAH_BIN ]]; then tool_cases buildah "$r" "$run"; fi
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$RES" "$RUNS" "${DOCKER:+yes}" "${BUILDAH_BIN:+yes}" "$RECIPES" <<'PY'
import statistics, sys, collections
res, runs, have_docker, have_buildah = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "yes", sys.argv[4] == "yes"
recipes = sys.argv[5].split()
rows = collections.defaultdict(list)
for line in open(res):
    r, c, t, run, secs, kib, detail = line.rstrip("\n").split("\t")
    rows[(r, c, t)].append((secs, int(kib), dict(kv.split("=", 1) for kv in detail.split() if "=" in kv)))
have = {"mab": True, "docker": have_docker, "buildah": have_buildah}
def med(r, c, t):
    v = rows.get((r, c, t))
    if not have[t]: return "n/a"
    if not v or any(s == "fail" for s, _, _ in v): return "fail"
    return statistics.median(float(s) for s, _, _ in v)
def fmt(x): return x if isinstance(x, str) else f"{x:.2f}"
def ratio(a, b): return "-" if isinstance(a, str) or isinstance(b, str) or b == 0 else f"{a / b:.2f}x"
titles = {"r1": "R1 multi-stage (linux/amd64 + linux/arm64)", "r2": "R2 big context: 20,000 files (linux/amd64 + linux/arm64)",
          "r3": "R3 big layer: FROM scratch, COPY ~516 MiB tree (linux/amd64)"}
cases = {"cold": "cold (all caches empty)", "noop": "no-op rebuild", "changed": "one file changed"}
summary = {}
for r in recipes:
    print(f"\n### {titles[r]}\n")
    print("| case | mab s | docker s | buildah s | mab/docker | mab/buildah | mab peak MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for c in ("cold", "noop", "changed"):
        m, d, b = med(r, c, "mab"), med(r, c, "docker"), med(r, c, "buildah")
        mv = rows.get((r, c, "mab"), [])
        peak = max((k for _, k, _ in mv), default=0) / 1024
        label = cases[c] + (" (unused context file)" if r == "r1" and c == "changed" else "")
        print(f"| {label} | {fmt(m)} | {fmt(d)} | {fmt(b)} | {ratio(m, d)} | {ratio(m, b)} | {peak:.0f} |")
        summary[(r, c)] = (m, d, b, peak)
    digests = collections.OrderedDict()
    for c in ("cold", "noop", "changed"):
        for _, _, det in rows.get((r, c, "mab"), []):
            if "digest" in det: digests.setdefault(c, []).append(det["digest"])
    if digests.get("cold"):
        same = len(set(digests["cold"] + digests.get("noop", []))) == 1
        print(f"\nmab index digest: {digests['cold'][0]} (cold and no-op, all runs identical: {'yes' if same else 'NO'})")
        if r != "r1" and digests.get("changed"):
            print(f"mab index digest after the one-file change (run 1): {digests['changed'][0]}")
    # where the time goes (medians of the parts)
    parts = []
    for t in ("mab", "docker", "buildah"):
        for c in ("cold", "noop", "changed"):
            v = rows.get((r, c, t), [])
            if not v or any(s == "fail" for s, _, _ in v): continue
            keys = [k for k in v[0][2] if k not in ("digest", "steps")]
            if len(keys) > 1 or t != "mab":
                parts.append(f"{t} {c}: " + ", ".join(f"{k} {statistics.median(float(d[2][k]) for d in v if k in d[2]):.2f}" for k in keys))
    if parts:
        print("\nparts (median s): " + "; ".join(parts))
goals = []
def g(name, val, ok):
    goals.append((name, val, "n/a" if ok is None else ("yes" if ok else "**no**")))
for r in recipes:
    m, d, b, _ = summary[(r, "cold")]
    g(f"{r} cold mab <= 0.4x docker", ratio(m, d), None if "-" == ratio(m, d) else m / d <= 0.4)
    g(f"{r} cold mab <= 0.25x buildah", ratio(m, b), None if "-" == ratio(m, b) else m / b <= 0.25)
for r, lim in (("r1", 0.1), ("r2", 0.3)):
    if r not in recipes: continue
    m = summary[(r, "noop")][0]
    g(f"{r} no-op rebuild <= {lim} s", fmt(m) + " s", None if isinstance(m, str) else m <= lim)
if "r3" in recipes:
    m = summary[("r3", "cold")][0]
    g("r3 cold <= 15 s", fmt(m) + " s", None if isinstance(m, str) else m <= 15)
peak = max(v[3] for v in summary.values())
g("mab peak memory < 300 MiB", f"{peak:.0f} MiB", peak < 300)
print("\n| goal | measured | met? |")
print("|---|---:|---|")
for name, val, ok in goals:
    print(f"| {name} | {val} | {ok} |")
PY
echo
echo "mab's own lines for the last cold build of each recipe:"
for r in $RECIPES; do [[ ! -f $OUT/last-mab-$r-cold.err ]] || grep -E 'built|wrote|layer' "$OUT/last-mab-$r-cold.err" | sed "s/^/  $r: /" | tail -n 6; done
exit 0
