"""The real bot process on Telegram's side: updates in, Bot API calls out, through the emulator.

Every Rasa answer here comes from the real Rasa server and action server (`stack_env`), except
in the long-answer test, whose bot process talks to a scripted Rasa.
"""

from __future__ import annotations

import json

import httpx
import pytest

from bot import commands
from bot import texts as bot_texts
from parcours import regions
from tests.e2e.conftest import BotProcess, ErrorLedger, ScriptedRasa, new_user_id
from tests.e2e.helpers import TIMEOUT, Chat, buttons, has_button, text_of, texts

pytestmark = pytest.mark.telegram


@pytest.fixture
def chat(bot: BotProcess) -> Chat:
    """A new user talking to the session's bot process."""
    return Chat(bot.api)


def test_the_bot_starts_polling_and_publishes_its_six_commands(bot: BotProcess) -> None:
    api = bot.api
    assert api.calls("getMe"), "PTB checks the token with getMe first"
    assert api.calls("deleteWebhook"), "polling starts by removing any webhook"
    assert [c["command"] for c in api.commands()] == [name for name, _ in commands.MENU]
    assert len(api.commands()) == 6
    assert all(c["description"] for c in api.commands())
    poll = api.calls("getUpdates", pending=True)[-1]
    assert poll.params.get("timeout", 0) > 0, "long polling, not busy polling"
    assert "callback_query" in poll.params.get("allowed_updates", [])


def test_a_pupil_greets_picks_a_role_and_asks_a_faq(chat: Chat) -> None:
    pupil = "Élève ou étudiant(e)"
    hello = chat.say("bonjour", until=has_button(pupil))
    assert "/oubli" in texts(hello), "the privacy notice comes with the first greeting"
    titles = {b["text"] for m in hello for b in buttons(m)}
    assert {"Parent", pupil, "Demandeur d'emploi"} <= titles
    assert all(len(b["callback_data"].encode()) <= 64 for m in hello for b in buttons(m))

    age = chat.press(pupil, until="quel âge")
    assert buttons(age[-1]), "the age bands are buttons"

    answer = chat.say("c koi le numero pour le decrochage scolaire", until="0 800 122 500")
    assert "0 800 122 500" in text_of(answer[0])
    assert all(isinstance(m["date"], int) and m["date"] < 10**11 for m in answer)


def test_a_sticker_gets_the_written_messages_notice(chat: Chat) -> None:
    seen = len(chat.api.bot_messages(chat.id))
    chat.api.push_sticker(chat.id)
    new = chat.wait_new(seen, until="messages écrits")
    assert [text_of(m) for m in new] == [bot_texts.MEDIA_NOTICE["tu"]]


def test_in_a_group_only_commands_get_the_private_chat_notice(bot: BotProcess) -> None:
    api, user = bot.api, new_user_id()
    first = api.push_message(user, "bonjour tout le monde", chat_type="group")
    group = first["chat"]["id"]
    command = api.push_message(user, "/aide@parcours_test_bot", chat_type="group")
    api.wait_for_messages(group, 1, TIMEOUT)
    api.settle(group, quiet=1.0)
    sent = api.bot_messages(group)
    assert [text_of(m) for m in sent] == [bot_texts.GROUP_NOTICE["tu"]]
    assert sent[0]["reply_to_message"]["message_id"] == command["message_id"]
    assert not api.calls("sendChatAction", group), "no Rasa turn for group messages"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("/EXTERNAL_handback", "plus valable"),  # an intent only staff may trigger
        ("#" + "0" * 20, "plus valable"),  # a long-payload id the bot never issued
        ("n'importe quoi", "plus valable"),
        ("/" + "a" * 63, "plus valable"),
        ('/faq_confirm{"faq_key":"nexiste_pas"}', None),  # offered intents, forged values
        ('/set_role{"role":"admin"}', None),
    ],
)
def test_forged_callback_data_gets_a_polite_answer(
    chat: Chat, data: str, expected: str | None
) -> None:
    menu = chat.say("/aide", until=lambda new: bool(new))
    reply = chat.press_data(data, menu[-1], until=expected or (lambda new: bool(new)))
    assert "Oups" not in texts(reply), "never the error notice"
    assert texts(reply).strip()
    if expected:
        assert buttons(reply[-1]), "the menu follows"


def test_a_button_pressed_while_the_bot_was_away_still_works(
    chat: Chat, no_api_errors: ErrorLedger
) -> None:
    chat.say("salut", until=has_button("Parent"))
    # Telegram refuses to answer a callback query after ~15 s (e.g. a press queued while the
    # bot was restarting): the press must still be handled, not end in the error notice.
    reply = chat.press("Parent", until=lambda new: bool(new), age=60)
    assert "Oups" not in texts(reply)
    assert "quel âge" in texts(reply) or "noté" in texts(reply).lower()
    assert no_api_errors.expect(chat.api, "query is too old"), "the emulator refused the answer"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (("stage " * 700)[:4096], None),
        ("🐙" * 4096, "Je comprends mieux les mots"),
        ("c koi le numero pour le decrochage scolaire " + "?" * 4000, "0 800 122 500"),
    ],
    ids=["4096-characters", "4096-emoji", "question-then-padding"],
)
def test_very_long_input_is_answered_without_errors(
    chat: Chat, text: str, expected: str | None
) -> None:
    assert len(text) <= 4096, "Telegram never delivers more"
    new = chat.say(text, until=expected or (lambda new: bool(new)))
    assert "Oups" not in texts(new)
    assert all(len(text_of(m)) <= 4096 for m in new)


def test_mes_donnees_sends_the_export_as_a_json_document(chat: Chat) -> None:
    chat.say("bonjour", until=has_button("Parent"))
    new = chat.say("/mes_donnees", until=lambda new: any("document" in m for m in new))
    document = next(m for m in new if "document" in m)
    assert document["document"]["file_name"] == "mes_donnees.json"
    assert "/oubli" in document["caption"]
    data = json.loads(chat.api.uploaded(document["document"]["file_id"]).content)
    assert data["user"]["id"] == str(chat.id)
    assert "bonjour" in [e["text"] for e in data["conversation"]]


def test_oubli_then_the_confirm_button_deletes_the_data(chat: Chat) -> None:
    chat.say("bonjour", until=has_button("Parent"))
    chat.press("Parent", until=lambda new: bool(new))
    question = chat.say("/oubli", until=has_button("Oui, tout effacer"))
    assert "définitif" in texts(question)
    done = chat.press("Oui, tout effacer", until="effacé")
    assert texts(done) == bot_texts.FORGOTTEN["vous"]  # a parent is answered with vous
    export = chat.say("/mes_donnees", until=lambda new: any("document" in m for m in new))
    file_id = next(m for m in export if "document" in m)["document"]["file_id"]
    data = json.loads(chat.api.uploaded(file_id).content)
    controller = regions.region("normandie").privacy_controller  # the data controller is kept
    assert data == {"controller": controller, "user": None, "conversation": [], "web_chat": []}


def test_humain_hands_the_chat_to_a_person_in_french(chat: Chat) -> None:
    new = chat.say("/humain", until="conseiller")
    assert "je préviens un conseiller" in texts(new)
    relayed = chat.say("vous êtes là ?", until="transmis")
    assert any(b["text"] == "Revenir à l'assistant" for b in buttons(relayed[-1]))
    back = chat.press("Revenir à l'assistant", until="de nouveau l'assistant")
    assert len(back) == 1


def test_a_long_answer_is_split_with_the_keyboard_on_its_last_part(
    scripted_bot: tuple[BotProcess, ScriptedRasa],
) -> None:
    process, rasa = scripted_bot
    paragraph = "Les mini-stages durent de trois à cinq jours, pendant les vacances. " * 12
    long_text = "\n\n".join([paragraph] * 14) + "\n" + "x" * 5000  # ~16 000 characters
    long_payload = '/faq_confirm{"faq_key":"' + "k" * 80 + '"}'
    rasa.reply = [
        {
            "text": long_text,
            "buttons": [
                {"title": "Menu", "payload": "/menu"},
                {"title": "Détail", "payload": long_payload},
                {"title": "Site", "url": "https://www.destination-metier.fr"},
            ],
        },
        {
            "custom": {
                "location": {
                    "latitude": 49.18,
                    "longitude": -0.37,
                    "title": "CIO",
                    "address": "Adresse de démonstration",
                }
            }
        },
    ]
    chat = Chat(process.api)
    new = chat.say("bonjour", until=lambda new: any("venue" in m for m in new))
    parts, venue = new[:-1], new[-1]
    assert len(parts) >= 4
    assert all(len(m["text"]) <= 4096 for m in parts)
    assert all(not buttons(m) for m in parts[:-1])
    assert [b["text"] for b in buttons(parts[-1])] == ["Menu", "Détail", "Site"]
    assert "".join(m["text"] for m in parts).replace("\n", "").replace(" ", "") == (
        long_text.replace("\n", "").replace(" ", "")
    )
    assert venue["venue"]["title"] == "CIO"
    assert venue["venue"]["address"] == "Adresse de démonstration"

    detail = next(b for b in buttons(parts[-1]) if b["text"] == "Détail")
    assert len(detail["callback_data"].encode()) <= 64
    rasa.reply = [{"text": "Voici le détail."}]
    chat.press("Détail", until="Voici le détail.")
    assert rasa.received[-1]["message"] == long_payload


def test_one_chats_messages_are_answered_in_order(chat: Chat) -> None:
    # Three messages in one getUpdates batch: a Rasa turn, a FAQ turn, a local command.
    api = chat.api
    for text in ("bonjour", "c koi le numero pour le decrochage scolaire", "/oubli"):
        api.push_message(chat.id, text)
    chat.wait_new(0, until=lambda new: "définitif" in texts(new) and "0 800 122 500" in texts(new))
    sent = [text_of(m) for m in api.bot_messages(chat.id)]
    role = next(i for i, t in enumerate(sent) if "tu es…" in t)
    dropout = next(i for i, t in enumerate(sent) if "0 800 122 500" in t)
    forget = next(i for i, t in enumerate(sent) if "définitif" in t)
    assert role < dropout < forget, sent


def test_telegram_flood_control_delays_an_answer_but_does_not_lose_it(
    chat: Chat, no_api_errors: ErrorLedger
) -> None:
    chat.api.push_message(chat.id, "coucou")  # opens the chat (Telegram: the user wrote first)
    chat.wait_new(0, until=lambda new: bool(new))
    chat.api.fail_next("sendMessage", chat_id=chat.id, retry_after=1)
    new = chat.say("/oubli", until="définitif")
    assert "Oups" not in texts(new)
    assert no_api_errors.expect(chat.api, "Too Many Requests")


def test_a_bot_api_outage_5xx_is_retried_and_the_answer_arrives(
    chat: Chat, no_api_errors: ErrorLedger
) -> None:
    chat.api.push_message(chat.id, "coucou")
    chat.wait_new(0, until=lambda new: bool(new))
    chat.api.fail_next(
        "sendMessage", chat_id=chat.id, code=502, description="Bad Gateway", retry_after=None
    )
    new = chat.say("/oubli", until="définitif")
    assert "Oups" not in texts(new)
    assert no_api_errors.expect(chat.api, "Bad Gateway")


def test_a_shared_location_sets_the_users_territory(chat: Chat) -> None:
    seen = len(chat.api.bot_messages(chat.id))
    chat.api.push_location(chat.id, 49.146, 0.226)
    answer = chat.wait_new(seen, "Lisieux")
    assert "Calvados" in texts(answer)


def test_where_to_go_offers_a_share_my_location_keyboard(chat: Chat) -> None:
    question = chat.say("je cherche une structure près de chez moi", until="commune")
    keyboards = [m.get("test_reply_keyboard") or {} for m in question]
    requested = [
        button
        for markup in keyboards
        for row in markup.get("keyboard", [])
        for button in row
        if button.get("request_location")
    ]
    assert requested, f"no request_location button in {keyboards}"


def test_where_to_go_gives_each_place_with_a_map_and_the_nearest_as_a_venue(chat: Chat) -> None:
    text = "à qui demander de l'aide pour mon fils de 17 ans à Lisieux ?"
    new = chat.say(text, until=lambda new: any("venue" in m for m in new))
    answer = texts(new)
    assert "Près de Lisieux, vous pouvez aller voir" in answer, answer
    assert "Horaires : lun-ven 9h-12h30, 13h30-17h (horaires de démonstration)" in answer
    assert "Carte (emplacement approximatif : centre de la commune) : " in answer
    assert "https://www.openstreetmap.org/?mlat=" in answer
    venue = next(m for m in new if "venue" in m)["venue"]
    assert "(démo)" in venue["title"]
    assert venue["address"] == (
        "Adresse de démonstration (emplacement approximatif : centre de la commune)"
    )


def test_a_contact_card_is_not_kept(chat: Chat) -> None:
    seen = len(chat.api.bot_messages(chat.id))
    chat.api.push_contact(chat.id, "+33600000000")
    assert "je n'en garde aucun" in texts(chat.wait_new(seen, "numéro"))


def test_health_and_metrics_of_the_running_bot(bot: BotProcess, chat: Chat) -> None:
    chat.say("c'est quoi un ambassadeur métier ?", until="mbassadeur")
    health = httpx.get(f"{bot.metrics_url}/health", timeout=10)
    assert health.status_code == 200, health.text
    assert health.json()["status"] == "ok"
    metrics = httpx.get(f"{bot.metrics_url}/metrics", timeout=10).text
    assert 'parcours_turns_total{channel="telegram",outcome="answered"}' in metrics
    assert "parcours_handoffs_waiting" in metrics
