#!/usr/bin/env bash
# The hybrid example's end-to-end tests: sets up the gateway (PyPI) and its
# generated clients, builds the Rust service, runs pytest over both transports.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/gateway/setup.sh"
cargo build --quiet -p example-hybrid
target="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
cd "$here/gateway"
HYBRID_BIN="$target/debug/example-hybrid" .venv/bin/python -m pytest -q -p no:cacheprovider test_gateway.py
