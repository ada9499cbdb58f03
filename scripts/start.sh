#!/usr/bin/env bash
# Quick start: installs what is missing, builds Weft and runs the bundled example flow.
# Safe to run again; it says what it installs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

need_swift
need_debian_packages "${WEFT_BUILD_PACKAGES[@]}"
need_python_packages "${WEFT_RUN_PYTHON_PACKAGES[@]}"

say "Building weft (release; the first build takes several minutes)"
swift build -c release --product weft
swift build -c release --product weft-sandbox
weft="$(swift build -c release --show-bin-path)/weft"

say "Running Examples/ec2-inventory/flow.json"
"$weft" run Examples/ec2-inventory/flow.json --out .weft/out/ec2-inventory --json "$@"
say "Outputs written under .weft/out/ec2-inventory; the journal is in .weft/weft.sqlite"
