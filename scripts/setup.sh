#!/usr/bin/env bash
# Create .venv (Python 3.11: app, actions, bot) and .venv-rasa (Python 3.10: Rasa 3.6), and
# install Chromium for the browser tests when missing and possible (scripts/setup_browser.sh).
# Idempotent: each venv is rebuilt only when its requirements change. The 2.7 GB Rasa venv
# lives in the user cache (keyed by its lock file), so a fresh clone reuses it.
set -euo pipefail
. "$(dirname "$0")/env.sh"

find_python() {  # $1 = major.minor; prints an interpreter path or nothing
  local want="$1" candidate root
  for candidate in "python$want" "python3"; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$want'.split('.'))))" 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    root="$(pyenv root)"
    for candidate in $(ls -d "$root"/versions/"$want".* 2>/dev/null | sort -V -r); do
      if [ -x "$candidate/bin/python$want" ]; then echo "$candidate/bin/python$want"; return; fi
    done
  fi
  if command -v uv >/dev/null 2>&1; then uv python find "$want" 2>/dev/null || true; fi
}

hash_of() { cat "$@" | sha256sum | cut -c1-16; }

setup_rasa_venv() {
  local py310 key target
  py310="$(find_python 3.10)"
  [ -n "$py310" ] || die "Python 3.10 is required for Rasa 3.6 and was not found.
  Install it with one of:  pyenv install 3.10.13   |   apt-get install python3.10 python3.10-venv   |   uv python install 3.10"
  key="$(hash_of "$ROOT/requirements-rasa.lock")-$("$py310" -c 'import sys; print("%d%d%d" % sys.version_info[:3])')"
  target="$CACHE_DIR/venv-rasa-$key"
  mkdir -p "$CACHE_DIR"
  (
    flock 9
    if [ ! -f "$target/.complete" ]; then
      log "creating the Rasa venv with $py310 (about 2 minutes the first time)"
      rm -rf "$target"
      "$py310" -m venv "$target"
      "$target/bin/pip" install -q --disable-pip-version-check "pip<25" 2>&1 | grep -v "is ignored" || true
      "$target/bin/pip" install -q --disable-pip-version-check --no-deps -r "$ROOT/requirements-rasa.lock" 2>&1 \
        | grep -vE "is ignored|DEPRECATION" || true
      "$target/bin/python" -c "import rasa; assert rasa.__version__ == '3.6.21', rasa.__version__" \
        || die "the Rasa venv at $target is broken"
      touch "$target/.complete"
    fi
  ) 9>"$CACHE_DIR/.venv-rasa.lock"
  if [ "$(readlink "$VENV_RASA" 2>/dev/null)" != "$target" ]; then
    rm -rf "$VENV_RASA"
    ln -s "$target" "$VENV_RASA"
  fi
}

setup_app_venv() {
  local py311 stamp
  py311="$(find_python 3.11)"
  [ -n "$py311" ] || die "Python 3.11 is required for the app and was not found (pyenv install 3.11.7)."
  stamp="$VENV/.stamp-$(hash_of "$ROOT/pyproject.toml")-$(hash_of "$ROOT/requirements-app.lock")"
  if [ ! -f "$stamp" ]; then
    log "creating .venv with $py311"
    [ -x "$VENV/bin/python" ] || "$py311" -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -c "$ROOT/requirements-app.lock" -e "$ROOT[dev]" 2>&1 | grep -v "is ignored" || true
    "$VENV/bin/python" -c "import telegram, rasa_sdk, sqlalchemy" || die ".venv install failed"
    rm -f "$VENV"/.stamp-*
    touch "$stamp"
  fi
}

setup_app_venv
setup_rasa_venv
"$(dirname "$0")/setup_browser.sh"
log "setup done (.venv, .venv-rasa -> $(readlink "$VENV_RASA"))"
