#!/usr/bin/env bash
# Run one process in the foreground, for a supervisor (honcho: Procfile; systemd: deploy/).
#   scripts/serve.sh rasa | actions | bot | migrate
# Same commands as scripts/up.sh (which runs them in the background for development), with
# the settings of .env and scripts/env.sh; logs go to stderr (LOG_FORMAT=json|text).
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$ROOT"  # Rasa and the action server read endpoints.yml, credentials.yml, actions/ from here
mkdir -p "$VAR_DIR"
export PYTHONUNBUFFERED=1

migrate() {  # idempotent; serialised because bot and actions start at the same time
  (
    flock 9
    "$VENV/bin/python" -m parcours migrate upgrade
    "$VENV/bin/python" -m parcours import-knowledge --if-empty >/dev/null
  ) 9>"$VAR_DIR/migrate.lock"
}

case "${1:-}" in
  rasa)
    model="$MODELS_DIR/$(cat "$MODELS_DIR/CURRENT" 2>/dev/null || die "no trained model: run make train")"
    # Tracker store (DATABASE / RASA_TRACKER_URL) and lock store (REDIS_URL) from the settings,
    # exactly as `make up` does: the committed endpoints.yml only names the action server.
    "$VENV/bin/python" -m parcours rasa-endpoints --out "$VAR_DIR/endpoints.yml"
    # PYTHONPATH: deploy/logging.yml loads parcours.logging_setup (stdlib only) into Rasa's venv.
    PYTHONPATH="$ROOT" exec "$VENV_RASA/bin/python" "$ROOT/scripts/rasa_run.py" run \
      --enable-api -i 127.0.0.1 -p "$RASA_PORT" -t "$RASA_TOKEN" -m "$model" \
      --endpoints "$VAR_DIR/endpoints.yml" --credentials credentials.yml \
      --logging-config-file deploy/logging.yml
    ;;
  actions)
    migrate
    # rasa-sdk behind ACTION_SERVER_SECRET (actions/server.py), bound to SANIC_HOST (127.0.0.1).
    exec "$VENV/bin/python" -m actions.server --actions actions --port "$ACTION_PORT" \
      --logging-config_file deploy/logging.yml
    ;;
  bot)
    migrate
    exec "$VENV/bin/python" -m bot run
    ;;
  migrate)
    migrate
    ;;
  *)
    die "usage: scripts/serve.sh rasa|actions|bot|migrate"
    ;;
esac
