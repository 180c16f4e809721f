#!/usr/bin/env bash
# Re-records the golden files from the real FastAPI. Usage: conformance/record.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/setup.sh"
PYTHONHASHSEED=0 "$here/.venv/bin/python" "$here/record.py"
