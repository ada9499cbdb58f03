#!/usr/bin/env bash
# Quick start: installs what is missing, builds Weft and starts `weft serve --demo` on
# http://127.0.0.1:8080 — a local AWS stand-in (moto) with a small estate, a connector to it and the
# templates as flows. Safe to run again; it says what it installs. Extra arguments go to `weft serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

need_swift
need_debian_packages "${WEFT_BUILD_PACKAGES[@]}" "${WEFT_UI_PACKAGES[@]}"
need_python_packages "${WEFT_RUN_PYTHON_PACKAGES[@]}"

say "Building weft (release; the first build takes several minutes)"
build_release weft weft-sandbox
weft="$(release_bin_path)/weft"

data=.weft/demo
mkdir -p "$data"
if [ ! -s "$data/admin-password" ]; then
    (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(18))' > "$data/admin-password")
fi
say "Starting weft serve --demo: open http://127.0.0.1:8080 and log in as 'admin' with the password in $data/admin-password"
say "Try: $weft token create admin --data $data   (then curl -H 'Authorization: Bearer …' http://127.0.0.1:8080/api/v1/flows)"
WEFT_ADMIN_PASSWORD="$(cat "$data/admin-password")" exec "$weft" serve --demo --data "$data" "$@"
