#!/usr/bin/env bash
# `npm test`: every test there is: lint, typecheck, unit + contract + API
# suites (vitest, against real redis-server processes and the production
# build), and the end-to-end suite (Playwright in Debian's Chromium).
# Installs what the machine lacks (redis-server, postgresql, chromium, fonts, nginx) on Debian/Ubuntu, or says what to install.
# It never skips a suite: a missing tool is an error.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql) # the suites start their own server
command -v chromium >/dev/null || missing+=(chromium)
command -v nginx >/dev/null || missing+=(nginx)
fc-list 2>/dev/null | grep -qi "liberation" || missing+=(fonts-liberation)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei) # Chinese screenshots
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installing ${missing[*]} (apt-get)…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then
    echo "Installing ${missing[*]} (sudo apt-get)…"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The tests need: ${missing[*]}. Install them, e.g.: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

[ -d node_modules/.bin ] || npm ci --no-audit --no-fund

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "lint";        npm run --silent lint
step "typecheck";   npm run --silent typecheck
step "build";       npm run --silent build
step "unit, contract and API tests (vitest)"; npx vitest run
step "end-to-end tests (Playwright, Chromium)"; npx playwright test
