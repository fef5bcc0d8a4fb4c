#!/bin/sh
# Makes sure Debian's chromium is installed at /usr/bin/chromium for the headless browser tests
# (playwright-core drives it with executablePath '/usr/bin/chromium'; no browser download).
# Idempotent: does nothing when chromium is already there. Needs root (or sudo) to install.
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-chromium: /usr/bin/chromium is missing and this is not root; run: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
fi
echo "ensure-chromium: installing Debian chromium" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y chromium
test -x /usr/bin/chromium
