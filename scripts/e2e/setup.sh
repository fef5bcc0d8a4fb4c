#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end suite needs, offline-friendly: only Debian's packages
# and the npm registry are reachable. Idempotent: every step is skipped when its result exists.
#   - Debian: chromium (the browser playwright-core drives), ripgrep (seeds @vscode/ripgrep, whose
#     postinstall would otherwise download rg), and the headers code-server's native modules build
#     against.
#   - code-server (VS Code server + web workbench) into a cache folder outside the repo's main
#     node_modules, so `npm ci` for the unit tests stays small and fast.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CODE_SERVER_VERSION="${KN_CODE_SERVER_VERSION:-4.100.3}"
# The @vscode/ripgrep version and the rg build it fetches, from code-server 4.100.3's lockfile.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_BUILD=v13.0.0-10
cache="${KN_E2E_CACHE:-$root/.cache/code-server}"
bin="$cache/node_modules/code-server/out/node/entry.js"

debs=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium
      fonts-dejavu-core python3 make g++)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "e2e setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "e2e setup: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo -E)
  fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ -f "$bin" && "$(node -p "require('$cache/node_modules/code-server/package.json').version")" == "$CODE_SERVER_VERSION" ]]; then
  echo "e2e setup: code-server $CODE_SERVER_VERSION already in $cache"
  exit 0
fi

case "$(uname -m)" in
  x86_64) rgtarget=x86_64-unknown-linux-musl ;;
  aarch64|arm64) rgtarget=aarch64-unknown-linux-musl ;;
  *) echo "e2e setup: no ripgrep seed for $(uname -m)" >&2; exit 1 ;;
esac
seed="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
tarball="$seed/ripgrep-$RIPGREP_BUILD-$rgtarget.tar.gz"
if [[ ! -f "$tarball" ]]; then
  tmp="$(mktemp -d)"
  mkdir -p "$seed" && cp "$(command -v rg)" "$tmp/rg"
  tar czf "$tarball" -C "$tmp" rg
  rm -rf "$tmp"
fi

echo "e2e setup: installing code-server $CODE_SERVER_VERSION into $cache (takes a few minutes)"
mkdir -p "$cache"
# npm 11 asks for install scripts to be approved (allowScripts) and is moving to skipping the
# unapproved ones; these two must run: code-server's postinstall builds VS Code's native modules,
# argon2 is its password hashing binding.
[[ -f "$cache/package.json" ]] || cat > "$cache/package.json" <<'JSON'
{ "name": "kube-netlint-e2e-cache", "private": true, "allowScripts": { "code-server": true, "argon2": true } }
JSON
# code-server's postinstall refuses to run as root unless npm_config_unsafe_perm=true (npm itself
# no longer knows the setting and warns about it); it runs `npx node-gyp`, which needs `yes`.
(cd "$cache" && npm_config_yes=true npm_config_unsafe_perm=true npm_config_ignore_scripts=false \
  npm install --no-audit --no-fund --loglevel=warn "code-server@$CODE_SERVER_VERSION")
[[ -f "$bin" ]] || { echo "e2e setup: code-server did not install ($bin missing)" >&2; exit 1; }
echo "e2e setup: code-server $CODE_SERVER_VERSION ready"
