#!/usr/bin/env bash
# Set up, build mab in release mode, and run its main job on the example recipes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product mab
MAB=.build/release/mab
"$MAB" --version
for recipe in examples/*/Dockerfile; do
  echo "== mab parse -f $recipe"
  "$MAB" parse -f "$recipe"
done
