#!/usr/bin/env bash
# Ensures the Pulumi CLI at the pinned version is available,
# building it from the Go module proxy when needed, and prints the directory holding `pulumi`.
#
# Why a build: no prebuilt CLI can be downloaded on our machines; `go install pkg@version` refuses
# Pulumi's modules because they carry `replace` directives, so a tiny wrapper module requires them
# (see docs/design.md and docs/pulumi.md, "Building the CLI from the Go module proxy"). The result is
# cached outside the repo, keyed by version, so only the first run on a machine pays for the build.
set -euo pipefail

V="${PULUMI_VERSION:-3.248.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}"
OUT="${PULUMI_PREFIX:-$CACHE/pulumi-cli/$V}"

log() { echo "[ensure-pulumi] $*" >&2; }
# Copies an executable only when it differs, through a temporary file and a rename: test runs in
# parallel (CI runs two toolchains at once) may be executing the old copy at that very moment.
install_exe() {
  cmp -s "$1" "$2" 2>/dev/null && return 0
  cp -f "$1" "$2.tmp.$$" && chmod +x "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}

# 1. A `pulumi` already on PATH with the right version wins.
if command -v pulumi >/dev/null 2>&1; then
  have="$(pulumi version 2>/dev/null || true)"
  if [ "$have" = "v$V" ]; then
    dir="$(dirname "$(readlink -f "$(command -v pulumi)")")"
    if [ -w "$dir" ] && [ -f "$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" ]; then
      install_exe "$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$dir/pulumi-resource-pulumi-nodejs" 2>/dev/null || true
    fi
    echo "$dir"
    exit 0
  fi
fi

# 2. Otherwise build once into the cache.
if [ ! -x "$OUT/bin/pulumi" ]; then
  command -v go >/dev/null 2>&1 || { log "Go is required to build the Pulumi CLI v$V (none found)"; exit 1; }
  log "building Pulumi CLI v$V into $OUT (first run on this machine; takes a few minutes)"
  start=$(date +%s)
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod GOSUMDB=off
  export GOMODCACHE="${GOMODCACHE:-$CACHE/pulumi-cli/gomod}" GOCACHE="${GOCACHE:-$CACHE/pulumi-cli/gobuild}"
  W="$(mktemp -d)"
  trap 'rm -rf "$W"' EXIT
  cd "$W"
  go mod init example.invalid/pulumi-cli >/dev/null 2>&1
  # The only replace that must be repeated in a consuming module (pulumi/pulumi#22132).
  go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
  go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$V" "github.com/pulumi/pulumi/sdk/v3@v$V" >&2
  got="$(go list -m github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3 | awk '{print $2}' | sort -u)"
  [ "$got" = "v$V" ] || { log "module versions drifted: $got"; exit 1; }
  mkdir -p "$OUT/bin.tmp"
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$V" -o "$OUT/bin.tmp/" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  rm -rf "$OUT/bin" && mv "$OUT/bin.tmp" "$OUT/bin"
  cd "$ROOT"
  log "built in $(( $(date +%s) - start ))s"
fi

# The dynamic-provider plugin is a shell script shipped in @pulumi/pulumi; it resolves the SDK from its
# working directory, so one copy next to `pulumi` serves every checkout (a symlink into a clone would dangle).
if [ -f "$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" ]; then
  install_exe "$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$OUT/bin/pulumi-resource-pulumi-nodejs"
fi
# The official language host (pulumi-language-nodejs) is not served by the module proxy we reach, so a
# small Node.js host of ours stands in for it (compiled JavaScript programs only; see its header).
if [ ! -x "$OUT/bin/pulumi-language-nodejs" ] || grep -q "whatsapp-flows shim" "$OUT/bin/pulumi-language-nodejs.js" 2>/dev/null; then
  install_exe "$ROOT/scripts/language-host/pulumi-language-nodejs.js" "$OUT/bin/pulumi-language-nodejs.js"
  install_exe "$ROOT/scripts/language-host/pulumi-language-nodejs" "$OUT/bin/pulumi-language-nodejs"
fi
have="$("$OUT/bin/pulumi" version)"
[ "$have" = "v$V" ] || { log "built CLI reports $have, expected v$V"; exit 1; }
echo "$OUT/bin"
