# Shared helpers for Weft's scripts. Source it; it changes nothing by itself.

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages given that are not installed yet, saying which.
need_debian_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "Debian packages present: $*"
        return 0
    fi
    say "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Installs the PyPI packages given (pip requirement syntax) that are missing, saying which.
need_python_packages() {
    local missing=()
    for requirement in "$@"; do
        local name="${requirement%%[<>=\[]*}"
        python3 -m pip show -q "$name" >/dev/null 2>&1 || missing+=("$requirement")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "Python packages present: $*"
        return 0
    fi
    say "Installing Python packages: ${missing[*]}"
    python3 -m pip install -q "${missing[@]}"
}

need_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        echo "Swift 6 is required (https://www.swift.org/install/linux/); 'swift' is not on PATH." >&2
        exit 1
    fi
}

# Release builds (scripts/start.sh and the benchmarks) are laid out so that a process maps few pages
# of its binary (BENCHMARKS.md, "AWS"): the Swift runtime and Foundation are linked in statically;
# every function gets a section of its own, and lld puts the functions a `weft run` calls side by
# side (scripts/release/weft.order, made by scripts/release/make-order-file.sh); relative relocations
# are packed (DT_RELR, glibc 2.36+); and the binary exports no symbols it does not need to (the Swift
# driver asks for all, which makes the loader hash and compare 59,000 names).
WEFT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEFT_RELEASE_FLAGS=(-c release --static-swift-stdlib
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcxx -ffunction-sections
    -Xswiftc -use-ld=lld -Xlinker "--symbol-ordering-file=$WEFT_ROOT/scripts/release/weft.order"
    -Xlinker --no-warn-symbol-ordering -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic)

# Builds the given products for release.
build_release() {
    local product
    for product in "$@"; do swift build "${WEFT_RELEASE_FLAGS[@]}" --product "$product"; done
}

# The directory release builds put their products in.
release_bin_path() { swift build "${WEFT_RELEASE_FLAGS[@]}" --show-bin-path; }

# Debian packages Weft needs to build and run.
WEFT_BUILD_PACKAGES=(pkg-config libsqlite3-dev zlib1g-dev libxml2-dev libjavascriptcoregtk-4.1-dev)

# Debian packages the web UI serves (CodeMirror for the editor's code fields).
WEFT_UI_PACKAGES=(libjs-codemirror)

# Debian and PyPI packages the web UI tests use: a real Chromium driven by Selenium.
WEFT_UI_TEST_PACKAGES=(chromium chromium-driver)
WEFT_UI_TEST_PYTHON_PACKAGES=(selenium pytest)

# PyPI packages Weft reads at run time (AWS API models) and the tests use (moto, the botocore oracle).
WEFT_RUN_PYTHON_PACKAGES=(botocore "moto[server]")
WEFT_TEST_PYTHON_PACKAGES=("moto[server]" jmespath)

# The data folder of the installed botocore, as WEFT_BOTOCORE_DATA names it. Set, it spares each
# `weft run` asking python3 (about 0.1 s of CPU through a pyenv shim, 0.05 s without).
botocore_data_dir() { python3 -c 'import botocore, os; print(os.path.dirname(botocore.__file__) + "/data")'; }

# Starts a moto server on a free port of 127.0.0.1 and seeds it with security groups and RDS
# instances (Tests/WeftCLITests/Fixtures/aws/seed_estate.py, fixed seed):
#   start_moto_estate WORK_DIR REGIONS GROUPS_PER_REGION DB_INSTANCES_PER_REGION
# Writes WORK_DIR/moto.log, WORK_DIR/expected.json (what the templates must flag) and
# WORK_DIR/connectors.yaml (a connector 'moto' to the server). Sets MOTO_PID and MOTO_ENDPOINT; the
# caller stops the server. Fails, showing moto's log, when the server is not up within 60 s.
start_moto_estate() {
    local work="$1" regions="$2" groups="$3" dbs="$4" port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
    MOTO_PID=$!
    MOTO_ENDPOINT="http://127.0.0.1:$port"
    local tries=300
    until curl -sf "$MOTO_ENDPOINT/moto-api/" >/dev/null; do
        if ! kill -0 "$MOTO_PID" 2>/dev/null || [ $((tries -= 1)) -le 0 ]; then
            echo "moto_server exited, or did not answer on $MOTO_ENDPOINT within 60 s; $work/moto.log:" >&2
            tail -n 20 "$work/moto.log" >&2
            return 1
        fi
        sleep 0.2
    done
    say "Seeding $regions with $groups security groups and $dbs RDS instances each"
    python3 "$WEFT_ROOT/Tests/WeftCLITests/Fixtures/aws/seed_estate.py" "$MOTO_ENDPOINT" "$regions" "$groups" "$dbs" 7 world-only \
        > "$work/expected.json"
    cat > "$work/connectors.yaml" <<YAML
connectors:
  - name: moto
    provider: aws
    regions: [${regions//,/, }]
    endpoint: $MOTO_ENDPOINT
    credentials: {accessKeyId: testing, secretAccessKey: testing}
YAML
}
