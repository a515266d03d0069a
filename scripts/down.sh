#!/usr/bin/env bash
# Stop background services started by up.sh: all, or the ones named (rasa, actions).
set -euo pipefail
. "$(dirname "$0")/env.sh"
services=("$@"); [ ${#services[@]} -gt 0 ] || services=(rasa actions)
for svc in "${services[@]}"; do
  pidfile="$VAR_DIR/$svc.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    log "stopped $svc"
  fi
  rm -f "$pidfile"
done
