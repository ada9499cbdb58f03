#!/usr/bin/env bash
# AWS benchmark (not a test): the two shipped templates vs Cloud Custodian with equivalent policies, on
# one moto server on 127.0.0.1 holding 4 regions × 1,000 security groups + 100 RDS instances each.
#   bench/aws.sh [GROUPS_PER_REGION] [DB_INSTANCES_PER_REGION]
# Prints wall time, client CPU time (user + sys), peak RSS and the number flagged for each tool.
# WEFT_BIN=path/to/weft uses that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

need_swift
need_debian_packages "${WEFT_BUILD_PACKAGES[@]}" time
need_python_packages "${WEFT_RUN_PYTHON_PACKAGES[@]}" "moto[server]"
# Cloud Custodian gets a virtualenv of its own: it wants newer boto3/botocore than the test oracle uses.
venv="bench/out/c7n-venv"
[ -x "$venv/bin/custodian" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q c7n; }
custodian="$venv/bin/custodian"

groups="${1:-1000}"
dbs="${2:-100}"
regions="us-east-1,eu-west-2,ap-southeast-1,sa-east-1"
work="bench/out/aws"
rm -rf "$work" && mkdir -p "$work"
if [ -n "${WEFT_BIN:-}" ]; then
    weft="$WEFT_BIN"
else
    say "Building weft (release)"
    build_release weft >/dev/null
    weft="$(release_bin_path)/weft"
fi

trap 'kill -9 ${MOTO_PID:-} 2>/dev/null || true' EXIT
start_moto_estate "$work" "$regions" "$groups" "$dbs"
endpoint="$MOTO_ENDPOINT"
"$weft" templates security-groups-outside-ips > "$work/sg.yaml"
"$weft" templates public-rds-instances > "$work/rds.yaml"

cat > "$work/custodian.yaml" <<'YAML'
policies:
  - name: sg-outside
    resource: aws.security-group
    filters:
      - type: ingress
        Cidr:
          value: "0.0.0.0/0"
  - name: rds-public
    resource: aws.rds
    filters:
      - or:
          - PubliclyAccessible: true
          - type: security-group
            key: "IpPermissions[].IpRanges[].CidrIp"
            op: contains
            value: "0.0.0.0/0"
YAML

# Prints "wall user+sys maxrss_kb" for a command.
measure() {
    local log; log=$(mktemp)
    /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; exit 1; }
    awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$log"; rm -f "$log"
}

weft_flagged() {
    python3 - "$1" "$2" <<'PY'
import glob, json, sys
print(sum(sum(1 for f in json.load(open(p)) if f["result"] == "FAIL") for p in glob.glob(f"{sys.argv[1]}/moto/*/{sys.argv[2]}.json")))
PY
}
custodian_flagged() {
    python3 - "$1" <<'PY'
import glob, json, sys
print(sum(len(json.load(open(p))) for p in glob.glob(f"{sys.argv[1]}/**/resources.json", recursive=True)))
PY
}
region_args=()
for region in ${regions//,/ }; do region_args+=(--region "$region"); done
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
# weft is told where botocore's data is, as a deployment would configure it.
WEFT_BOTOCORE_DATA="${WEFT_BOTOCORE_DATA:-$(botocore_data_dir)}"
export WEFT_BOTOCORE_DATA

say "weft: both templates"
read -r ws_w ws_c ws_m < <(measure "$weft" run "$work/sg.yaml" --connectors "$work/connectors.yaml" --target moto --out "$work/weft-sg" --data "$work/weft-data")
read -r wr_w wr_c wr_m < <(measure "$weft" run "$work/rds.yaml" --connectors "$work/connectors.yaml" --target moto --out "$work/weft-rds" --data "$work/weft-data")
say "Cloud Custodian $("$custodian" version 2>/dev/null | head -1): equivalent policies"
read -r cs_w cs_c cs_m < <(AWS_ENDPOINT_URL="$endpoint" measure "$custodian" run --cache-period 0 -s "$work/c7n-sg" -p sg-outside "${region_args[@]}" "$work/custodian.yaml")
read -r cr_w cr_c cr_m < <(AWS_ENDPOINT_URL="$endpoint" measure "$custodian" run --cache-period 0 -s "$work/c7n-rds" -p rds-public "${region_args[@]}" "$work/custodian.yaml")

expected=$(python3 -c "import json; d=json.load(open('$work/expected.json')); print(sum(len(v['outsideGroups']) for v in d.values()), sum(len(v['publicDbInstances']) for v in d.values()))")
echo
echo "4 regions × $groups security groups + $dbs RDS instances per region on moto ($(nproc) cores); expected flagged (groups, instances): $expected"
printf '| %-34s | %8s | %8s | %9s | %7s |\n' "run" "wall s" "CPU s" "peak MB" "flagged"
printf '| %-34s | %8s | %8s | %9s | %7s |\n' --- --- --- --- ---
printf '| %-34s | %8s | %8s | %9s | %7s |\n' "weft: Security Groups outside IPs" "$ws_w" "$ws_c" "$((ws_m / 1024))" "$(weft_flagged "$work/weft-sg" outside-ips)"
printf '| %-34s | %8s | %8s | %9s | %7s |\n' "custodian: sg ingress 0.0.0.0/0" "$cs_w" "$cs_c" "$((cs_m / 1024))" "$(custodian_flagged "$work/c7n-sg")"
printf '| %-34s | %8s | %8s | %9s | %7s |\n' "weft: Publicly accessible RDS" "$wr_w" "$wr_c" "$((wr_m / 1024))" "$(weft_flagged "$work/weft-rds" public-db-instances)"
printf '| %-34s | %8s | %8s | %9s | %7s |\n' "custodian: rds public or open SG" "$cr_w" "$cr_c" "$((cr_m / 1024))" "$(custodian_flagged "$work/c7n-rds")"
