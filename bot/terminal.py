"""Terminal chat for `make demo` without TELEGRAM_TOKEN: numbered buttons, plain text."""

from __future__ import annotations

import asyncio
import uuid

from bot.dialogue import Dialogue
from bot.render import Button
from bot.turn import TurnResult
from parcours import regions

INTRO = (
    "Assistant {assistant_of} — démo dans le terminal.\n"
    "Écris comme sur Telegram. Tape le numéro d'un bouton pour le choisir, "
    "'quitter' pour sortir.\n"
)


def show(result: TurnResult) -> list[Button]:
    """Print the replies; return the buttons that can be chosen by number."""
    choices: list[Button] = []
    for reply in result.replies:
        print(f"🤖 {reply.text}")
        if reply.location:
            print(f"    📍 {reply.location.get('address') or reply.location.get('title', '')}")
        for button in reply.buttons:
            if "url" in button:
                print(f"    🔗 {button['title']} : {button['url']}")
            else:
                choices.append(button)
                print(f"    [{len(choices)}] {button['title']}")
    if result.handoff != "bot":
        print(f"    (conversation : {result.handoff})")
    return choices


async def chat(dialogue: Dialogue) -> None:
    """Read lines until EOF or 'quitter'."""
    user = f"terminal-{uuid.uuid4().hex[:8]}"
    print(regions.fill(INTRO))
    choices: list[Button] = []
    loop = asyncio.get_running_loop()
    while True:
        try:
            line = await loop.run_in_executor(None, input, "🙂 ")
        except EOFError:
            print()
            return
        line = line.strip()
        if line.lower() in {"quitter", "exit", "quit"}:
            return
        key = f"terminal:{uuid.uuid4().hex}"
        if line.isdigit() and 1 <= int(line) <= len(choices):
            result = await dialogue.handle_button(user, choices[int(line) - 1]["payload"], key)
        else:
            result = await dialogue.handle_text(user, line, key)
        choices = show(result)
