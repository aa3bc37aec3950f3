#!/usr/bin/env bash
# Set up, build mab in release mode, and run its main job on the example recipes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --static-swift-stdlib --product mab
MAB=.build/release/mab
"$MAB" --version
for recipe in examples/*/Dockerfile; do
  echo "== mab parse -f $recipe"
  "$MAB" parse -f "$recipe"
done

echo "== mab plan recipes/go-cross --platform linux/amd64,linux/arm64"
"$MAB" plan recipes/go-cross --platform linux/amd64,linux/arm64 --home "${MAB_HOME:-$PWD/.build/demo-home}"

# A two-platform base image from Debian's busybox-static (arm64 checked under qemu),
# kept in a throw-away store and written as an OCI layout.
bash scripts/busybox-rootfs.sh .build/fixtures/busybox
export MAB_HOME=${MAB_HOME:-$PWD/.build/demo-home}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
rm -rf .build/demo-out
echo "== mab import linux/amd64 + linux/arm64 busybox"
"$MAB" import linux/amd64=.build/fixtures/busybox/amd64 linux/arm64=.build/fixtures/busybox/arm64 \
  -t mab/busybox:1.35 --output type=oci-dir,dest=.build/demo-out/busybox
echo "== mab inspect oci:.build/demo-out/busybox:mab/busybox:1.35"
"$MAB" inspect oci:.build/demo-out/busybox:mab/busybox:1.35

# The main job: a two-platform build on that base (arm64 under qemu), to an OCI archive.
"$MAB" import linux/amd64=.build/fixtures/busybox/amd64 linux/arm64=.build/fixtures/busybox/arm64 \
  -t localhost:5000/mab/busybox:1.35 >/dev/null
echo "== mab build examples/two-platform --platform linux/amd64,linux/arm64"
"$MAB" build examples/two-platform --platform linux/amd64,linux/arm64 -t mab/two-platform:demo \
  --output type=oci,dest=.build/demo-out/two-platform.tar --report .build/demo-out/two-platform-report.json
echo "== mab build examples/hello-multiarch (the cross-compilation pattern: --platform=\$BUILDPLATFORM)"
"$MAB" build examples/hello-multiarch --platform linux/amd64,linux/arm64 -t mab/hello-multiarch:demo \
  --output type=oci,dest=.build/demo-out/hello-multiarch.tar
echo "== mab inspect oci-archive:.build/demo-out/two-platform.tar"
"$MAB" inspect oci-archive:.build/demo-out/two-platform.tar
echo "== layer-digest report (--report .build/demo-out/two-platform-report.json)"
cat .build/demo-out/two-platform-report.json
