#!/usr/bin/env bash
# Benchmark (not a test): a generated 1 GB JSON array served on 127.0.0.1 through
# largeHttp → filter → report with `weft run` (journal on SQLite). Prints wall time and peak RSS.
#   bench/large-http.sh            WEFT_BIN=path/to/weft uses that binary instead of building one.
#   SIZE_MB=1000 (default)         the size of the generated array.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
work="bench/data"
mkdir -p "$work" bench/out
size_mb="${SIZE_MB:-1000}"
big="$work/large-http-${size_mb}mb.json"
if [ ! -f "$big" ]; then
    echo "Generating $big" >&2
    python3 - "$big" "$size_mb" <<'PY'
import json, sys
path, size = sys.argv[1], int(sys.argv[2]) * 1_000_000
with open(path, "w") as f:
    f.write("[")
    written, i = 1, 0
    while written < size:
        record = {"id": i, "name": f"item-{i}", "active": i % 3 != 0, "region": ["eu-west-2", "us-east-1"][i % 2],
                  "tags": {"Owner": f"team-{i % 7}", "Env": "prod" if i % 5 == 0 else "dev"},
                  "arn": f"arn:aws:ec2:eu-west-2:123456789012:instance/i-{i:017x}", "pad": "%x" % (i * 2654435761) * 20}
        text = ("," if i else "") + "\n  " + json.dumps(record)
        f.write(text)
        written += len(text)
        i += 1
    f.write("\n]\n")
PY
fi
if [ -n "${WEFT_BIN:-}" ]; then
    weft="$WEFT_BIN"
else
    build_release weft >/dev/null
    weft="$(release_bin_path)/weft"
fi
log=$(mktemp)
coproc SERVER { exec python3 Tests/WeftHTTPTests/Support/server.py --host 127.0.0.1; }
read -r _ port <&"${SERVER[0]}"
flow="$work/large-http.flow.json"
cat > "$flow" <<JSON
{"weft": 1, "name": "large http bench",
 "nodes": [
  {"id": "trigger", "type": "trigger", "params": {}},
  {"id": "download", "type": "largeHttp", "params": {"url": "http://127.0.0.1:$port/file?path=$(realpath "$big")", "maxBytes": 4000000000}},
  {"id": "keep", "type": "filter", "params": {"conditions": [
     {"id": "c1", "type": "param", "key": "\$.active", "operator": "==", "value": true},
     {"id": "c2", "type": "param", "key": "\$.tags.Env", "operator": "==", "value": "prod"}], "expression": "c1 && c2"}},
  {"id": "out", "type": "report", "params": {"format": "csv", "columns": [{"header": "id", "value": "\$.id"}, {"header": "arn", "value": "\$.arn"}]}}
 ],
 "edges": [{"from": "trigger", "to": "download"}, {"from": "download", "to": "keep"}, {"from": "keep", "to": "out"}]}
JSON
data=$(mktemp -d)
/usr/bin/time -f "%e %M" -o "$log" "$weft" run "$flow" --data "$data" --json > bench/out/large-http.json
read -r wall rss < "$log"
printf '| largeHttp → filter → report, %s MB | %s s | %s MB peak RSS |\n' "$size_mb" "$wall" "$(( rss / 1024 ))"
exec {SERVER[1]}>&-
rm -rf "$data" "$log"
