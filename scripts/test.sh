#!/usr/bin/env bash
# Installs what the tests need and runs every test (unit, conformance, store contract on SQLite and
# PostgreSQL, CLI and example golden files). Safe to run again; it says what it installs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

need_swift
need_debian_packages "${WEFT_BUILD_PACKAGES[@]}" postgresql jq openssl
need_python_packages "${WEFT_RUN_PYTHON_PACKAGES[@]}" "${WEFT_TEST_PYTHON_PACKAGES[@]}"

say "Building"
swift build --build-tests

say "Running the tests (PostgreSQL on 127.0.0.1 for the store contract suite)"
scripts/with-postgres.sh swift test --skip-build "$@"
