#!/usr/bin/env bash
# Regenerates the TypeScript types of proto/ektola/v1 (committed, so builds need no generator).
set -euo pipefail
cd "$(dirname "$0")/.."
out=services/platform/src/grpc/generated
rm -rf "$out"
npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --keepCase=false \
  --grpcLib=@grpc/grpc-js --outDir="$out" --inputTemplate=%s --outputTemplate=%s__Output \
  proto/ektola/v1/*.proto
# Node strips types but needs explicit extensions for relative imports.
find "$out" -name '*.ts' -exec sed -i -E "s#(from '\.{1,2}/[^']*)';#\1.ts';#" {} +
