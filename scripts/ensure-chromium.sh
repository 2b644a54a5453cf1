#!/usr/bin/env bash
# Makes sure the Chromium that playwright.config.ts launches exists, installing Debian's package when root.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -x "$chromium" ]]; then
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
  echo "Chromium not found at $chromium; installing it with apt-get..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  if [[ ! -x "$chromium" ]]; then
    echo "apt-get installed chromium, but $chromium still does not exist; set CHROMIUM_PATH to its location." >&2
    exit 1
  fi
  exit 0
fi

cat >&2 <<MSG
Chromium is needed for the end-to-end tests but was not found at $chromium.
Install it with:   sudo apt-get install chromium
or point CHROMIUM_PATH at an existing Chromium/Chrome binary.
MSG
exit 1
