#!/usr/bin/env bash
# Regenerates scripts/release/weft.order, the functions `weft run` calls, which the release link lays
# side by side (WEFT_RELEASE_FLAGS in scripts/lib.sh). Under exec-functions.so, which notes each
# function that runs, it runs the two AWS templates over a small estate on a moto server on
# 127.0.0.1, and a local data → filter → report flow over 12,000 items (so that outputs are paged,
# compressed and spilled to disk).
# A stale list costs only memory: functions it no longer names are left where the linker puts them.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

need_swift
need_debian_packages "${WEFT_BUILD_PACKAGES[@]}" gcc binutils
need_python_packages "${WEFT_RUN_PYTHON_PACKAGES[@]}"
say "Building weft (release)"
build_release weft >/dev/null
weft="$(release_bin_path)/weft"

work="$(mktemp -d)"
trap 'kill -9 ${MOTO_PID:-} 2>/dev/null || true; rm -rf "$work"' EXIT
start_moto_estate "$work" us-east-1,eu-west-2 200 20

cc -O2 -shared -fPIC scripts/release/exec-functions.c -o "$work/exec-functions.so"
readelf -sW "$weft" | awk '$4 == "FUNC" && $3 != "0" && $7 != "UND" {print $2, $8}' | sort -u > "$work/functions"
WEFT_BOTOCORE_DATA="$(botocore_data_dir)"
export WEFT_BOTOCORE_DATA
traced() {
    say "Tracing weft $*"
    SWIFT_BACKTRACE=enable=no EXEC_FUNCTIONS_IN="$work/functions" EXEC_FUNCTIONS_OUT="$work/ran" \
        LD_PRELOAD="$work/exec-functions.so" "$weft" "$@" >/dev/null
}
cd "$work"
# Twice each: which of the network stack's functions run (connection set-up, timers) varies a
# little with timing, and the list should hold them all.
for template in security-groups-outside-ips public-rds-instances; do
    "$weft" templates "$template" > "$template.yaml"
    for pass in 1 2; do
        traced run "$template.yaml" --connectors connectors.yaml --target moto --out out --data data
    done
done
python3 "$WEFT_ROOT/scripts/generate-ec2-instances.py" 12000 "$work/instances.json" --seed 7
cat > "$work/filter.json" <<'FLOW'
{"weft": 1, "name": "filter",
 "nodes": [
  {"id": "trigger", "type": "trigger", "params": {}},
  {"id": "data", "type": "data", "params": {"file": "instances.json"}},
  {"id": "filter", "type": "filter", "params": {"conditions": [
     {"id": "c1", "type": "param", "key": "$.State.Name", "operator": "==", "value": "running"}]}},
  {"id": "report", "type": "report", "params": {"format": "json", "fileName": "filtered.json"}}
 ],
 "edges": [{"from": "trigger", "to": "data"}, {"from": "data", "to": "filter"}, {"from": "filter", "to": "report"}]}
FLOW
traced run "$work/filter.json" --out "$work/out" --data "$work/data"
cd "$WEFT_ROOT"
LC_ALL=C sort -u "$work/ran" > scripts/release/weft.order
say "scripts/release/weft.order: $(wc -l < scripts/release/weft.order) functions"
rm -f "$weft"
say "Relinking weft with the new order"
build_release weft >/dev/null
