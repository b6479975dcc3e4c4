#!/usr/bin/env bash
# `npm start`: dependencies, infrastructure, then every service, the scheduler loop and the simulator.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x node_modules/.bin/node ]; then
  echo "[start] installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund
fi
bash deploy/local/ensure-infra.sh
exec node_modules/.bin/node deploy/local/run-stack.ts
