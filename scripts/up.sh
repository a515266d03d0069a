#!/usr/bin/env bash
# Start the action server and Rasa in the background (idempotent), then wait for both.
# PID and log files are in $VAR_DIR. Exits non-zero with the log tail on failure.
set -euo pipefail
. "$(dirname "$0")/env.sh"
mkdir -p "$VAR_DIR"
cd "$ROOT"  # services read actions/ and credentials.yml relative to it
TIMEOUT="${UP_TIMEOUT:-180}"
model="$MODELS_DIR/$(cat "$MODELS_DIR/CURRENT" 2>/dev/null || die "no trained model: run make train")"

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
actions_ok() { curl -fsS "http://127.0.0.1:$ACTION_PORT/health" >/dev/null 2>&1; }
rasa_model() { curl -fsS "$RASA_URL/status?token=$RASA_TOKEN" 2>/dev/null \
  | "$VENV/bin/python" -c "import json,sys; print(json.load(sys.stdin).get('model_file',''))" 2>/dev/null; }
stop() { "$ROOT/scripts/down.sh" "$1" >/dev/null; }

"$VENV/bin/python" -m parcours migrate upgrade
"$VENV/bin/python" -m parcours import-knowledge --if-empty >/dev/null

# Restart the action server when its code changed since it started.
code_hash="$(cd "$ROOT" && find actions parcours -name '*.py' | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)"
if running "$VAR_DIR/actions.pid" && [ "$(cat "$VAR_DIR/actions.hash" 2>/dev/null)" != "$code_hash" ]; then
  log "action code changed: restarting the action server"
  stop actions
fi
if ! running "$VAR_DIR/actions.pid" || ! actions_ok; then
  running "$VAR_DIR/actions.pid" && stop actions
  log "starting the action server on 127.0.0.1:$ACTION_PORT"
  # rasa-sdk behind ACTION_SERVER_SECRET (actions/server.py).
  setsid nohup "$VENV/bin/python" -m actions.server --actions actions --port "$ACTION_PORT" \
    >"$VAR_DIR/actions.log" 2>&1 </dev/null &
  echo $! >"$VAR_DIR/actions.pid"
  echo "$code_hash" >"$VAR_DIR/actions.hash"
fi

# Rasa's endpoints (tracker and lock stores) from the settings; a change restarts Rasa.
"$VENV/bin/python" -m parcours rasa-endpoints --out "$VAR_DIR/endpoints.next.yml"
if running "$VAR_DIR/rasa.pid" && ! cmp -s "$VAR_DIR/endpoints.next.yml" "$VAR_DIR/endpoints.yml"; then
  log "Rasa's endpoints changed: restarting"
  stop rasa
fi
mv "$VAR_DIR/endpoints.next.yml" "$VAR_DIR/endpoints.yml"
if running "$VAR_DIR/rasa.pid" && [ -n "$(rasa_model)" ] && [ "$(basename "$(rasa_model)")" != "$(basename "$model")" ]; then
  log "Rasa runs an older model: restarting"
  stop rasa
fi
if ! running "$VAR_DIR/rasa.pid"; then
  log "starting Rasa on 127.0.0.1:$RASA_PORT with $(basename "$model")"
  setsid nohup "$VENV_RASA/bin/python" "$ROOT/scripts/rasa_run.py" run --enable-api \
    -i 127.0.0.1 -p "$RASA_PORT" -t "$RASA_TOKEN" -m "$model" \
    --endpoints "$VAR_DIR/endpoints.yml" --credentials credentials.yml \
    >"$VAR_DIR/rasa.log" 2>&1 </dev/null &
  echo $! >"$VAR_DIR/rasa.pid"
fi

deadline=$(( $(date +%s) + TIMEOUT ))
until actions_ok && [ -n "$(rasa_model)" ]; do
  for svc in actions rasa; do
    if ! running "$VAR_DIR/$svc.pid"; then
      echo "error: $svc exited; last lines of $VAR_DIR/$svc.log:" >&2
      tail -n 30 "$VAR_DIR/$svc.log" >&2; exit 1
    fi
  done
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "error: not ready after ${TIMEOUT}s" >&2
    tail -n 20 "$VAR_DIR/actions.log" "$VAR_DIR/rasa.log" >&2; exit 1
  fi
  sleep 1
done
log "up: Rasa $RASA_URL, actions 127.0.0.1:$ACTION_PORT (logs in $VAR_DIR)"
