#!/usr/bin/env bash
# Rasa conversation tests; `rasa test` exits 0 on failed stories, so check its report too.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$ROOT"
model="$MODELS_DIR/$(cat "$MODELS_DIR/CURRENT")"
out="$ROOT/results/stories"
rm -rf "$out"; mkdir -p "$out"
"$VENV_RASA/bin/rasa" test core -m "$model" --stories tests/rasa/test_stories.yml \
  --endpoints endpoints.yml --out "$out" --fail-on-prediction-errors >"$out/log.txt" 2>&1 \
  || { tail -n 40 "$out/log.txt" >&2; die "rasa test core: prediction errors (see $out)"; }
if [ -s "$out/failed_test_stories.yml" ] && grep -q "story:" "$out/failed_test_stories.yml"; then
  cat "$out/failed_test_stories.yml" >&2; die "rasa test core: failed stories"
fi
log "rasa test stories: $(grep -c '  - story:' tests/rasa/test_stories.yml) passed"
