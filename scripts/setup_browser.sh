#!/usr/bin/env bash
# Headless Chromium for the browser tests (tests/browser/): Debian's `chromium` package, driven
# by Playwright through its executable path (never `playwright install`, which downloads a
# browser from the internet). Installs it with apt when missing and possible (root, or sudo
# without a password); otherwise says how, and carries on: the browser tests then skip locally
# and FAIL in CI (CI=true), so a CI machine without a browser cannot pass silently.
set -euo pipefail
. "$(dirname "$0")/env.sh"

found_browser() {
  local candidate
  for candidate in "${BROWSER_PATH:-}" /usr/lib/chromium/chromium /usr/bin/chromium; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return; fi
  done
}

if [ -n "$(found_browser)" ]; then exit 0; fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    cat >&2 <<'EOF'
*** Chromium not found: the browser tests (tests/browser/) will be SKIPPED here (they FAIL in CI).
    Install Debian's package as root, then run the tests again:
        apt-get install -y chromium
    (or set BROWSER_PATH to a Chromium binary). Do not run `playwright install`.
EOF
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "*** Chromium not found and apt-get is missing: install Chromium, or set BROWSER_PATH." >&2
  exit 0
fi
log "installing Debian's chromium for the browser tests (about 160 MB)"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq chromium >/dev/null
[ -n "$(found_browser)" ] || die "apt-get installed chromium but no binary was found"
log "chromium: $("$(found_browser)" --version 2>/dev/null || echo installed)"
