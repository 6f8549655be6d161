#!/usr/bin/env bash
# Regenerates src/transport/gen/ from proto/indus.proto (ts-proto run by buf; no protoc needed). Commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf src/transport/gen
npx buf generate
echo "generated: $(find src/transport/gen -name '*.ts' | tr '\n' ' ')"
