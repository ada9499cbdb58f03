#!/usr/bin/env bash
# Weft benchmarks (not tests): run by hand, results go into BENCHMARKS.md.
#   bench/run.sh            both benchmarks
#   bench/run.sh filter     parse + filter + write of a 100 MB JSON array: weft vs jq vs Python orjson
#   bench/run.sh engine     per-step overhead of a 200-node chain with the journal on SQLite
#   bench/run.sh conditions securityGroup condition and control node over 100,000 groups × 5 rules, one core
# WEFT_BIN=path/to/weft uses that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

need_swift
need_debian_packages "${WEFT_BUILD_PACKAGES[@]}" jq time
need_python_packages orjson

what="${1:-all}"
work="bench/data"
mkdir -p "$work" bench/out
if [ -n "${WEFT_BIN:-}" ]; then
    weft="$WEFT_BIN"
else
    say "Building weft (release)"
    build_release weft >/dev/null
    weft="$(release_bin_path)/weft"
fi

# Prints "wall_seconds max_rss_kb" for a command, after one warm-up run.
measure() {
    "$@" >/dev/null 2>&1 || true
    local log; log=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>&1
    cat "$log"; rm -f "$log"
}

row() { printf '| %-28s | %8s s | %8s MB |\n' "$1" "$2" "$(( $3 / 1024 ))"; }

if [ "$what" = all ] || [ "$what" = filter ]; then
    big="$work/instances-100mb.json"
    if [ ! -f "$big" ]; then
        say "Generating $big"
        python3 scripts/generate-ec2-instances.py 70000 "$big" --full --seed 7
    fi
    size=$(stat -c %s "$big")
    say "Input: $big, $((size / 1000000)) MB, $(python3 -c "import json;print(len(json.load(open('$big'))))") items"
    cat > "$work/filter-flow.json" <<FLOW
{"weft": 1, "name": "bench filter",
 "nodes": [
  {"id": "trigger", "type": "trigger", "params": {}},
  {"id": "data", "type": "data", "params": {"file": "instances-100mb.json"}},
  {"id": "filter", "type": "filter", "params": {"conditions": [
     {"id": "c1", "type": "param", "key": "$.State.Name", "operator": "==", "value": "running"},
     {"id": "c2", "type": "param", "key": "$.MetadataOptions.HttpTokens", "operator": "==", "value": "optional"}]}},
  {"id": "report", "type": "report", "params": {"format": "json", "fileName": "filtered.json"}}
 ],
 "edges": [{"from": "trigger", "to": "data"}, {"from": "data", "to": "filter"}, {"from": "filter", "to": "report"}]}
FLOW
    cat > "$work/filter.py" <<'PY'
import sys, orjson
items = orjson.loads(open(sys.argv[1], "rb").read())
out = [i for i in items if i.get("State", {}).get("Name") == "running" and i.get("MetadataOptions", {}).get("HttpTokens") == "optional"]
open(sys.argv[2], "wb").write(orjson.dumps(out))
PY
    rm -rf bench/out/weft-data
    read -r w_t w_m < <(measure "$weft" run "$work/filter-flow.json" --data bench/out/weft-data)
    read -r j_t j_m < <(measure sh -c "jq -c '[.[] | select(.State.Name == \"running\" and .MetadataOptions.HttpTokens == \"optional\")]' '$big' > bench/out/jq.json")
    read -r p_t p_m < <(measure python3 "$work/filter.py" "$big" bench/out/orjson.json)
    echo
    echo "Parse + filter + write, $((size / 1000000)) MB input ($(nproc) cores, $(swift --version 2>/dev/null | head -1))"
    printf '| %-28s | %10s | %11s |\n' tool "wall" "peak RSS"
    printf '| %-28s | %10s | %11s |\n' --- --- ---
    row "weft run (release, journal)" "$w_t" "$w_m"
    row "jq $(jq --version)" "$j_t" "$j_m"
    row "python3 + orjson" "$p_t" "$p_m"
    echo "matching items: weft $(python3 -c "import json;print(len(json.load(open('$(ls -d bench/out/weft-data/artifacts/*/ | tail -1)filtered.json'))))"), jq $(jq length bench/out/jq.json)"
fi

if [ "$what" = all ] || [ "$what" = conditions ]; then
    say "Building weft-bench (release)"
    build_release weft-bench >/dev/null
    echo
    taskset -c 0 "$(release_bin_path)/weft-bench" conditions 100000 5
fi

if [ "$what" = all ] || [ "$what" = engine ]; then
    python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
for n in (1, 201):
    nodes = [{"id": "trigger", "type": "trigger", "params": {}}]
    edges = []
    prev = "trigger"
    for i in range(1, n):
        nid = "f%03d" % i
        nodes.append({"id": nid, "type": "formatter", "params": {"fields": [{"name": "n", "value": i}], "keepOthers": True}})
        edges.append({"from": prev, "to": nid})
        prev = nid
    json.dump({"weft": 1, "name": "chain %d" % n, "nodes": nodes, "edges": edges}, open("%s/chain-%d.json" % (work, n), "w"))
PY
    rm -rf bench/out/chain-data
    read -r one _ < <(measure "$weft" run "$work/chain-1.json" --data bench/out/chain-data)
    read -r many _ < <(measure "$weft" run "$work/chain-201.json" --data bench/out/chain-data)
    echo
    echo "Engine overhead: 200 chained formatter nodes on one item, journal on SQLite"
    python3 -c "print('1-node flow %.3f s, 201-node flow %.3f s: %.2f ms per step' % ($one, $many, ($many - $one) * 1000 / 200))"
fi
