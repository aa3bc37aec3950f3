#!/usr/bin/env bash
# Set up and run every test. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/busybox-rootfs.sh .build/fixtures/busybox
# Debian bookworm roots for the apt end-to-end test (debootstrap once, then cached).
bash scripts/debian-rootfs.sh .build/fixtures/debian
swift build --build-tests
swift test --skip-build
# Disabling the real aarch64 registration must happen with nothing else running.
bash scripts/binfmt-toggle-check.sh .build/debug/mab
# The README's main command on the release build: whole-module optimisation and
# cross-module inlining there differ from the debug build the tests use.
bash scripts/demo.sh
