#!/usr/bin/env bash
# Everything the demo and the tests need, from a fresh clone: dependencies (when missing or stale),
# the TypeScript build, and the Pulumi CLI (built once from the Go module proxy, cached outside the repo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` with the committed lock, not `npm ci`: the registry our machines reach does not carry
  # every platform's optional binaries (e.g. @unrs/resolver-binding-darwin-*), so the lock cannot list
  # them and `npm ci` refuses it as "out of sync". With the lock present, versions stay pinned.
  echo "[setup] installing dependencies (npm install from package-lock.json)" >&2
  npm install --no-audit --no-fund >&2
fi
node scripts/link-self.js
echo "[setup] building (tsc)" >&2
node node_modules/typescript/bin/tsc -p tsconfig.json
bash scripts/ensure-pulumi.sh >/dev/null
