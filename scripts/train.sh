#!/usr/bin/env bash
# Train the Rasa model only when its inputs changed (hash of config, domain, nlu_data and
# the Rasa lock). Models are also kept in the user cache, keyed by that hash.
set -euo pipefail
. "$(dirname "$0")/env.sh"

model_hash() {
  (cd "$ROOT" && { find config.yml domain nlu_data requirements-rasa.lock -type f; \
     find knowledge/faq knowledge/regions -type f -name '*.yml'; } \
     | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-16
}

hash="$(model_hash)"
name="parcours-$hash"
mkdir -p "$MODELS_DIR" "$CACHE_DIR/models"
if [ -f "$MODELS_DIR/$name.tar.gz" ]; then
  log "model up to date ($name)"
elif [ -f "$CACHE_DIR/models/$name.tar.gz" ]; then
  cp "$CACHE_DIR/models/$name.tar.gz" "$MODELS_DIR/$name.tar.gz"
  log "model $name restored from cache"
else
  log "training $name (inputs changed)"
  start=$(date +%s)
  (cd "$ROOT" && "$VENV_RASA/bin/rasa" train --data nlu_data --domain domain --config config.yml \
     --out "$MODELS_DIR" --fixed-model-name "$name" --quiet)
  cp "$MODELS_DIR/$name.tar.gz" "$CACHE_DIR/models/$name.tar.gz.tmp"
  mv "$CACHE_DIR/models/$name.tar.gz.tmp" "$CACHE_DIR/models/$name.tar.gz"
  log "trained in $(( $(date +%s) - start )) s"
fi
echo "$name.tar.gz" > "$MODELS_DIR/CURRENT"
