#!/usr/bin/env bash
# API benchmark (not a test): wrk against `weft serve` on 127.0.0.1, results go into BENCHMARKS.md.
#   bench/server.sh sqlite     GET /api/v1/flows with 100 flows, and starting a small run, on SQLite
#   bench/server.sh postgres   the same on a throwaway PostgreSQL (scripts/with-postgres.sh)
#   bench/server.sh            both
# WEFT_BIN=path/to/weft uses that binary instead of building one; DURATION (default 10s) per wrk run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

what="${1:-all}"
duration="${DURATION:-10s}"

if [ "${WEFT_BENCH_INNER:-}" != 1 ]; then
    need_swift
    need_debian_packages "${WEFT_BUILD_PACKAGES[@]}" wrk curl jq postgresql
    if [ -z "${WEFT_BIN:-}" ]; then
        say "Building weft (release)"
        build_release weft >/dev/null
        WEFT_BIN="$(release_bin_path)/weft"
    fi
    export WEFT_BIN WEFT_BENCH_INNER=1
    if [ "$what" = all ] || [ "$what" = sqlite ]; then "$0" sqlite; fi
    if [ "$what" = all ] || [ "$what" = postgres ]; then scripts/with-postgres.sh "$0" postgres; fi
    exit 0
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
backend=(--data "$work")
if [ "$what" = postgres ]; then backend=(--data "$work" --database "$WEFT_TEST_POSTGRES_URL"); fi
WEFT_ADMIN_PASSWORD=bench-password-1 "$WEFT_BIN" serve --host 127.0.0.1 --port "$port" "${backend[@]}" \
    >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

cookies="$work/cookies"
csrf=$(curl -fs -c "$cookies" -H 'Content-Type: application/json' \
    -d '{"username": "admin", "password": "bench-password-1"}' "$base/api/v1/login" | jq -r .csrfToken)
token=$(curl -fs -b "$cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"name": "bench"}' "$base/api/v1/tokens" | jq -r .secret)
auth="Authorization: Bearer $token"

flow_id=""
for index in $(seq 1 100); do
    flow_id=$(curl -fs -H "$auth" -H 'Content-Type: application/json' "$base/api/v1/flows" -d @- <<EOF | jq -r .flow.id
{"weft": 1, "name": "Flow $index", "categories": ["bench"], "tags": ["team-$((index % 5))"],
 "nodes": [{"id": "trigger", "type": "trigger", "params": {"manual": true}},
           {"id": "data", "type": "data", "params": {"items": [{"host": "web-1"}, {"host": "db-1"}]}},
           {"id": "match", "type": "filter", "params": {"conditions": [
              {"id": "c1", "type": "param", "key": "\$.host", "operator": "matches", "value": "^web"}]}}],
 "edges": [{"from": "trigger", "to": "data"}, {"from": "data", "to": "match"}]}
EOF
)
done
say "$what: 100 flows created; wrk for $duration each (2 threads, 16 connections)"

cat >"$work/post.lua" <<'EOF'
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
EOF

report() {
    local name=$1; shift
    local out; out=$(wrk -t2 -c16 -d"$duration" --latency "$@")
    local rps p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    printf '| %-10s | %-34s | %10s | %8s | %s |\n' "$what" "$name" "$rps" "$p99" "${errors:-0}"
}
echo "| backend    | request                            | requests/s | p99      | non-2xx |"
report "GET /api/v1/flows (100 flows)" -H "$auth" "$base/api/v1/flows"
report "POST /api/v1/flows/{id}/runs" -H "$auth" -s "$work/post.lua" "$base/api/v1/flows/$flow_id/runs"
