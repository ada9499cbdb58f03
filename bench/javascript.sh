#!/usr/bin/env bash
# JavaScript benchmarks (not tests): run by hand, results go into BENCHMARKS.md.
#   bench/javascript.sh            both
#   bench/javascript.sh custom     one filter+map script over 100,000 and 1,000,000 objects:
#                                  the custom node (weft run) vs node running the same script on the same file
#   bench/javascript.sh condition  per-item overhead of a `function` condition over 100,000 items
# WEFT_BIN=path/to/weft uses that binary (weft-sandbox must sit next to it, or WEFT_SANDBOX name it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

need_debian_packages time
command -v node >/dev/null || { say "node (Node.js) is needed for the comparison"; exit 1; }

what="${1:-all}"
work="bench/data/javascript"
out="bench/out/javascript"
mkdir -p "$work" "$out"
if [ -n "${WEFT_BIN:-}" ]; then
    weft="$WEFT_BIN"
else
    need_swift
    say "Building weft and weft-sandbox (release)"
    build_release weft weft-sandbox >/dev/null
    weft="$(release_bin_path)/weft"
fi

# Prints "wall_seconds max_rss_kb" for a command: the best of three runs, after one warm-up run.
measure() {
    "$@" >/dev/null 2>&1 || { say "failed: $*"; "$@" >&2 || true; exit 1; }
    local log best="" rss=0
    log=$(mktemp)
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>&1
        read -r t m < "$log"
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
        if [ "$m" -gt "$rss" ]; then rss=$m; fi
    done
    rm -f "$log"
    echo "$best $rss"
}

row() { printf '| %-44s | %8s s | %8s MB |\n' "$1" "$2" "$(( $3 / 1024 ))"; }
minus() { awk "BEGIN{printf \"%.2f\", $1 - $2}"; }
ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }

# The script both sides run: the body of a function of `items` returning the output array.
script='return items.filter(i => i.state === "running" && i.size > 100).map(i => ({ id: i.id, region: i.region, doubled: i.size * 2, owner: i.tags.owner ?? null }));'

each_script='if (item.state === "running" && item.size > 100) return { id: item.id, region: item.region, doubled: item.size * 2, owner: item.tags.owner ?? null };'

# Writes N objects as one JSON array to FILE (deterministic).
generate() {
    node -e '
        const [count, file] = [Number(process.argv[1]), process.argv[2]];
        const fs = require("fs");
        const states = ["running", "stopped", "pending"], regions = ["us-east-1", "eu-west-1", "ap-south-1"];
        let s = 2463534242;
        const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
        const fd = fs.openSync(file, "w");
        let chunk = "[";
        for (let i = 0; i < count; i++) {
            const r = next();
            const item = { id: "i-" + i.toString(16).padStart(8, "0"), state: states[r % 3], region: regions[(r >>> 4) % 3],
                           size: (r >>> 8) % 1000, tags: r % 5 ? { owner: "team-" + (r % 9), env: "prod" } : {} };
            chunk += (i ? "," : "") + JSON.stringify(item);
            if (chunk.length > 1 << 20) { fs.writeSync(fd, chunk); chunk = ""; }
        }
        fs.writeSync(fd, chunk + "]\n");
        fs.closeSync(fd);
    ' "$1" "$2"
}

if [ "$what" = all ] || [ "$what" = custom ]; then
    cat > "$work/script.js" <<JS
const fs = require("fs");
const items = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const output = (function (items) { $script })(items);
fs.writeFileSync(process.argv[3], JSON.stringify(output));
JS
    echo
    echo "Filter + map script, custom node vs node $(node --version) ($(nproc) cores)"
    echo
    echo "| run | wall (best of 3) | peak RSS |"
    echo "| --- | ---: | ---: |"
    for count in 100000 1000000; do
        data="$work/objects-$count.json"
        [ -f "$data" ] || { say "Generating $data"; generate "$count" "$data"; }
        limits='"limits": {"cpuSeconds": 120, "memoryMB": 4096}'
        for mode in all each; do
            if [ "$mode" = all ]; then body="$script"; else body="$each_script"; fi
            code=$(node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$body")
            cat > "$work/custom-$mode-$count.json" <<FLOW
{"weft": 1, "name": "bench custom $mode $count",
 "nodes": [
  {"id": "trigger", "type": "trigger", "params": {}},
  {"id": "data", "type": "data", "params": {"file": "objects-$count.json"}},
  {"id": "custom", "type": "custom", "params": {"mode": "$mode", "code": $code, $limits}}
 ],
 "edges": [{"from": "trigger", "to": "data"}, {"from": "data", "to": "custom"}]}
FLOW
        done
        cat > "$work/data-$count.json" <<FLOW
{"weft": 1, "name": "bench data $count",
 "nodes": [
  {"id": "trigger", "type": "trigger", "params": {}},
  {"id": "data", "type": "data", "params": {"file": "objects-$count.json"}}
 ],
 "edges": [{"from": "trigger", "to": "data"}]}
FLOW
        read -r n_t n_m < <(measure node "$work/script.js" "$data" "$out/node-$count.json")
        read -r w_t w_m < <(measure "$weft" run "$work/custom-all-$count.json" --data "$out/weft-data")
        read -r e_t e_m < <(measure "$weft" run "$work/custom-each-$count.json" --data "$out/weft-data")
        read -r d_t d_m < <(measure "$weft" run "$work/data-$count.json" --data "$out/weft-data")
        row "node: read + parse + script + write, $count" "$n_t" "$n_m"
        row "weft run: data + custom (all), $count" "$w_t" "$w_m"
        row "weft run: data + custom (each), $count" "$e_t" "$e_m"
        row "weft run: data only, $count" "$d_t" "$d_m"
        echo "|   custom step alone (all), by difference | $(minus "$w_t" "$d_t") s | |"
        echo "|   weft run (all) / node | $(ratio "$w_t" "$n_t")× | |"
        echo "|   custom step (all) / node | $(ratio "$(minus "$w_t" "$d_t")" "$n_t")× | |"
        echo "|   output items: node $(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).length)' "$out/node-$count.json") | | |"
    done
fi

if [ "$what" = all ] || [ "$what" = condition ]; then
    count=100000
    data="$work/objects-$count.json"
    [ -f "$data" ] || { say "Generating $data"; generate "$count" "$data"; }
    for kind in function param none; do
        case $kind in
            function) conditions='[{"id": "c1", "type": "function", "code": "return item.size > 100;"}]' ;;
            param) conditions='[{"id": "c1", "type": "param", "key": "$.size", "operator": ">", "value": 100}]' ;;
            none) conditions='' ;;
        esac
        if [ -n "$conditions" ]; then
            node_json=', {"id": "filter", "type": "filter", "params": {"conditions": '"$conditions"'}}'
            edge_json=', {"from": "data", "to": "filter"}'
        else
            node_json=''; edge_json=''
        fi
        cat > "$work/condition-$kind.json" <<FLOW
{"weft": 1, "name": "bench condition $kind",
 "nodes": [
  {"id": "trigger", "type": "trigger", "params": {}},
  {"id": "data", "type": "data", "params": {"file": "objects-$count.json"}}$node_json
 ],
 "edges": [{"from": "trigger", "to": "data"}$edge_json]}
FLOW
    done
    read -r f_t _ < <(measure "$weft" run "$work/condition-function.json" --data "$out/weft-data")
    read -r p_t _ < <(measure "$weft" run "$work/condition-param.json" --data "$out/weft-data")
    read -r z_t _ < <(measure "$weft" run "$work/condition-none.json" --data "$out/weft-data")
    echo
    echo "function condition over $count items (filter node, weft run, best of 3)"
    echo
    echo "| flow | wall | filter step by difference | per item |"
    echo "| --- | ---: | ---: | ---: |"
    echo "| data only | $z_t s | | |"
    echo "| data + filter, param condition | $p_t s | $(minus "$p_t" "$z_t") s | $(awk "BEGIN{printf \"%.2f\", ($p_t - $z_t) * 1e6 / $count}") µs |"
    echo "| data + filter, function condition | $f_t s | $(minus "$f_t" "$z_t") s | $(awk "BEGIN{printf \"%.2f\", ($f_t - $z_t) * 1e6 / $count}") µs |"
    echo "| function − param: sandbox overhead | | $(minus "$f_t" "$p_t") s | $(awk "BEGIN{printf \"%.2f\", ($f_t - $p_t) * 1e6 / $count}") µs |"
fi
