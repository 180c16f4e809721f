#!/usr/bin/env bash
# Installs the gateway (FastAPI, grpcio, openapi-python-client... from PyPI) into
# gateway/.venv and generates its two clients of the Rust service into
# gateway/generated/: the REST client from ../openapi.json (ferroapi's document)
# with openapi-python-client, the gRPC stubs from ../proto/textstats.proto with
# grpcio-tools. Idempotent; generated code is not committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"

gen="$here/generated"
rm -rf "$gen"
mkdir -p "$gen"
# Its post-generation hook (ruff, installed with it) must be on PATH.
PATH="$here/.venv/bin:$PATH" "$here/.venv/bin/openapi-python-client" generate \
  --path "$here/../openapi.json" \
  --config "$here/client-config.yaml" \
  --meta none \
  --output-path "$gen/textstats_client" > /dev/null
"$here/.venv/bin/python" -m grpc_tools.protoc \
  -I "$here/../proto" \
  --python_out="$gen" \
  --grpc_python_out="$gen" \
  "$here/../proto/textstats.proto"
