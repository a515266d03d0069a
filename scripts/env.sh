# Shared environment of every script (sourced). Values from the environment or .env win.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# REGION given on the command line (`make demo REGION=grand-est`) wins over .env's.
_region_given="${REGION:-}"
if [ -f "$ROOT/.env" ]; then set -a; . "$ROOT/.env"; set +a; fi
if [ -n "$_region_given" ]; then REGION="$_region_given"; fi

export VAR_DIR="${VAR_DIR:-$ROOT/var}"
export CACHE_DIR="${PARCOURS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parcours-metier}"
# REGION selects a pack of knowledge/regions/; each region other than the default has its own
# default databases, so switching REGION never mixes two regions' data.
export REGION="${REGION:-normandie}"
if [ "$REGION" = normandie ]; then REGION_SUFFIX=""; else REGION_SUFFIX="-$REGION"; fi
export DATABASE_URL="${DATABASE_URL:-sqlite:///$VAR_DIR/app$REGION_SUFFIX.db}"
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
export RASA_URL="${RASA_URL:-http://127.0.0.1:$RASA_PORT}"
export RASA_TOKEN="${RASA_TOKEN:-dev-rasa-token}"
# Shared secrets of the internal hops (development defaults of parcours/settings.py; production
# refuses them): bot → Rasa's input channel (credentials.yml), Rasa → the action server.
export RASA_CHANNEL_SECRET="${RASA_CHANNEL_SECRET:-dev-channel-secret}"
export ACTION_SERVER_SECRET="${ACTION_SERVER_SECRET:-dev-action-secret}"
# The action server (Sanic) listens on all interfaces unless told otherwise.
export SANIC_HOST="${SANIC_HOST:-127.0.0.1}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}"
# Rasa's tracker store (PostgreSQL URL, else this SQLite file) and lock store (Redis URL, else
# in memory): written into $VAR_DIR/endpoints.yml by up.sh (parcours/rasa_endpoints.py).
export RASA_TRACKER_URL="${RASA_TRACKER_URL:-}"
export RASA_TRACKER_DB="${RASA_TRACKER_DB:-$VAR_DIR/rasa_tracker$REGION_SUFFIX.db}"
export REDIS_URL="${REDIS_URL:-}"
# Quieter Rasa (see RASA_NOTES.md §2).
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false
export PYTHONDONTWRITEBYTECODE=1

VENV="$ROOT/.venv"
VENV_RASA="$ROOT/.venv-rasa"
MODELS_DIR="$ROOT/models"

die() { echo "error: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }
