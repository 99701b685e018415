#!/bin/sh
# Installs what vpn-preflight needs on a fresh Debian/Ubuntu machine.
#   scripts/setup.sh            npm packages, then build dist/cli.js (enough for --demo)
#   scripts/setup.sh --binary   also the Node runtimes the single binaries are made from
#                               (scripts/runtimes, ~100 MB from the npm registry)
#   scripts/setup.sh --test     all of the above, and the servers and tools the tests start
#                               (openssl, ocserv, openconnect, faketime, chromium, wine …)
set -eu
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--test" ]; then
  need=""
  for pair in openssl:openssl ocserv:ocserv openconnect:openconnect faketime:faketime \
              chromium:chromium sslscan:sslscan testssl:testssl.sh wine64:wine64 wine:wine; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ] && [ ! -x "/usr/lib/wine/$cmd" ]; then
      need="$need $pkg"
    fi
  done
  if [ -n "$need" ]; then
    echo "installing Debian packages:$need"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq || true
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $need
  fi
fi

npm ci --no-audit --no-fund
# Official Node runtimes for every target in pkg.config.json, from the npm registry, so
# `npm run build:binary` needs no network. --force: each declares the OS it runs on, and
# we only copy its files; --no-bin-links: three packages each name a `node` command.
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--binary" ]; then
  npm ci --prefix scripts/runtimes --force --ignore-scripts --no-bin-links --no-audit --no-fund
fi
npm run build
