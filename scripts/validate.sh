#!/usr/bin/env bash
# `rasa data validate` exits 0 on warnings: fail here on any warning we did not expect.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$ROOT"
out="$(mktemp)"; trap 'rm -f "$out"' EXIT
if ! "$VENV_RASA/bin/rasa" data validate --data nlu_data --domain domain --config config.yml >"$out" 2>&1; then
  cat "$out" >&2; die "rasa data validate failed"
fi
# Responses uttered by custom or built-in fallback actions; intents sent only by buttons
# (parcours.intents) or by the front end (external events).
used_by_actions="$(grep -ohE '"utter_[a-z_]+"' actions/*.py | tr -d '"' | sort -u | paste -sd'|')"
button_intents="EXTERNAL_[a-z_]+|$("$VENV/bin/python" -c '
from parcours.intents import BUTTON_ONLY_INTENTS
print("|".join(sorted(BUTTON_ONLY_INTENTS)))')"
# Forms ask for their slots with utter_ask_<slot>; `inform` only fills form slots.
form_slots="$("$VENV/bin/python" -c '
import glob, yaml
slots = set()
for path in glob.glob("domain/*.yml"):
    for form in (yaml.safe_load(open(path)).get("forms") or {}).values():
        slots.update(form.get("required_slots", []))
print("|".join(sorted(slots)))')"
unexpected="$(grep -E "UserWarning: " "$out" \
  | grep -vE "duplicated intents have been found across multiple domain files: faq$" \
  | grep -vE "The intent '($button_intents)' is listed in the domain file, but is not found in the NLU" \
  | grep -vE "The utterance '(utter_faq|utter_default|utter_ask_rephrase|$used_by_actions)' is not used in any story or rule" \
  | grep -vE "The utterance 'utter_ask_([a-z_]+_form_)?($form_slots)' is not used in any story or rule" \
  | grep -vE "The intent 'inform' is not used in any story or rule" \
  || true)"
if [ -n "$unexpected" ]; then
  echo "$unexpected" | sed 's/^.*UserWarning: /  - /' >&2
  die "rasa data validate: unexpected warnings (above)"
fi
log "rasa data validate: clean"
