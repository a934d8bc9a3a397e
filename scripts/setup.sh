#!/usr/bin/env bash
# Everything the demo and the tests need, from a fresh clone: dependencies (when missing or stale),
# the TypeScript build, and the Pulumi CLI (built once from the Go module proxy, cached outside the repo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Exactly what CI runs: `npm ci` installs the committed lock as is (and fails if package.json and the
  # lock disagree). Skipped when node_modules already matches the lock.
  echo "[setup] installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
node scripts/link-self.js
echo "[setup] building (tsc)" >&2
node node_modules/typescript/bin/tsc -p tsconfig.json
bash scripts/ensure-pulumi.sh >/dev/null
