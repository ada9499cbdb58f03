#!/usr/bin/env bash
# Installs what the tests need and runs every test (unit, conformance, store contract on SQLite and
# PostgreSQL, CLI and example golden files). Safe to run again; it says what it installs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

need_swift
need_debian_packages "${WEFT_BUILD_PACKAGES[@]}" "${WEFT_UI_PACKAGES[@]}" "${WEFT_UI_TEST_PACKAGES[@]}" postgresql jq openssl
need_python_packages "${WEFT_RUN_PYTHON_PACKAGES[@]}" "${WEFT_TEST_PYTHON_PACKAGES[@]}" "${WEFT_UI_TEST_PYTHON_PACKAGES[@]}"

say "Building"
swift build --build-tests

say "Running the tests (PostgreSQL on 127.0.0.1 for the store contract suite)"
scripts/with-postgres.sh swift test --skip-build "$@"

say "Running the web UI tests (weft serve --demo and headless Chromium, both on 127.0.0.1)"
WEFT_BIN="$(swift build --show-bin-path)/weft" python3 -m pytest -q -p no:cacheprovider Tests/UI
