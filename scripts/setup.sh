#!/usr/bin/env bash
# Installs everything cuocthi needs to build and test, idempotently:
# each step checks first and does nothing when the tool is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10   # 0.3.11 needs a newer rustc than this toolchain
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
TOOLS_DIR="$PWD/.tools"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (slow: about 15 minutes on 2 cores)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches the pinned crate)"
  # Its lock file can name a crate version the registry no longer serves; then resolve afresh.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked --force ||
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# cargo-leptos would download wasm-opt from the internet on release builds; give it one on PATH.
if [ ! -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ]; then
  log "installing binaryen (wasm-opt) from npm into .tools"
  mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd "$TOOLS_DIR" && npm install --no-audit --no-fund binaryen@132.0.0)
fi

# Debian packages: Chromium for the browser tests, brotli to measure the WASM as served.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v brotli >/dev/null 2>&1 || missing+=(brotli)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

if [ ! -d end2end/node_modules/@playwright/test ] || ! (cd end2end && npm ls --silent >/dev/null 2>&1); then
  log "installing the end-to-end test packages"
  (cd end2end && npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund)
fi

log "toolchain ready"
