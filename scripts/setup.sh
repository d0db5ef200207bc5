#!/usr/bin/env bash
# Installs everything cuocthi needs to build and test, idempotently:
# each step checks first and does nothing when the tool is already there.
#   scripts/setup.sh           build and test tools (scripts/test)
#   scripts/setup.sh --build   only what scripts/build needs (scripts/start)
set -euo pipefail
cd "$(dirname "$0")/.."
build_only=0
[ "${1:-}" = --build ] && build_only=1

WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
TOOLS_DIR="$PWD/.tools"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches the pinned crate)"
  # Its lock file can name a crate version the registry no longer serves; then resolve afresh.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked --force ||
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# scripts/build shrinks the WASM with wasm-opt (binaryen), minifies the JavaScript with esbuild
# and the stylesheet with lightningcss: prebuilt binaries from npm, kept in .tools.
if [ ! -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ] || [ ! -x "$TOOLS_DIR/node_modules/.bin/lightningcss" ] ||
  [ ! -x "$TOOLS_DIR/node_modules/.bin/esbuild" ]; then
  log "installing binaryen (wasm-opt), esbuild and lightningcss from npm into .tools"
  mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd "$TOOLS_DIR" && npm install --no-audit --no-fund binaryen@132.0.0 esbuild@0.28.2 lightningcss-cli@1.33.0)
fi

if [ "$build_only" = 1 ]; then
  log "build tools ready"
  exit 0
fi

# Debian packages: Chromium for the browser tests, brotli to measure the WASM as served,
# nginx and openssl for the test of the deploy guide (RUNLEVEL=1: installed, not started),
# sqlite3 for the browser test that holds the database's write lock from outside.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v brotli >/dev/null 2>&1 || missing+=(brotli)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq || true
  $SUDO env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

if [ ! -d end2end/node_modules/@playwright/test ] || ! (cd end2end && npm ls --silent >/dev/null 2>&1); then
  log "installing the end-to-end test packages"
  (cd end2end && npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund)
fi

log "toolchain ready"
