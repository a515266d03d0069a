"""The emulator's staff side (coordinators' forum supergroup), driven by PTB's real `Bot`:
topics, messages in topics, media, copies, pins, HTML mentions and the test-side pushes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot, InputFile, MessageOriginUser, Update
from telegram.error import BadRequest, NetworkError, RetryAfter

from devstack.botapi import TOPIC_COLORS, BotApiEmulator, png

pytestmark = pytest.mark.telegram

GROUP = -1_001_234_567_890
COORDINATOR = 5_001
MEMBER = 5_002
USER = 424_243


@pytest.fixture(scope="module")
def api() -> Iterator[BotApiEmulator]:
    """An emulator with the coordinators' forum and one user's private chat."""
    emulator = BotApiEmulator().start()
    emulator.create_forum_group(
        GROUP, "Coordination Parcours", {COORDINATOR: "administrator", MEMBER: "member"}
    )
    emulator.push_message(USER, "bonjour")
    yield emulator
    emulator.stop()


@pytest.fixture
async def bot(api: BotApiEmulator) -> AsyncIterator[Bot]:
    """PTB's Bot pointed at the emulator, with no update left pending."""
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
        await drain(bot)
        yield bot


async def drain(bot: Bot) -> tuple[Update, ...]:
    """The pending updates, confirmed."""
    updates = await bot.get_updates(timeout=0)
    if updates:
        await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    return updates


def last_error(api: BotApiEmulator) -> str:
    """Telegram's exact description of the last error answered."""
    return str(api.errors()[-1].description)


async def new_topic(bot: Bot, name: str = "Jeanne — 3e") -> int:
    topic = await bot.create_forum_topic(GROUP, name)
    return topic.message_thread_id


async def test_get_chat_and_chat_members(bot: Bot, api: BotApiEmulator) -> None:
    chat = await bot.get_chat(GROUP)
    assert chat.is_forum is True
    assert chat.type == "supergroup"
    assert chat.title == "Coordination Parcours"
    me = await bot.get_chat_member(GROUP, bot.id)
    assert me.status == "administrator"
    assert getattr(me, "can_manage_topics", False) is True
    assert (await bot.get_chat_member(GROUP, COORDINATOR)).status == "administrator"
    assert (await bot.get_chat_member(GROUP, MEMBER)).status == "member"
    assert (await bot.get_chat_member(GROUP, 777)).status == "left"
    assert (await bot.get_chat(USER)).is_forum is not True
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.get_chat(-100_999)
    assert last_error(api) == "Bad Request: chat not found"


async def test_topic_lifecycle(bot: Bot, api: BotApiEmulator) -> None:
    topic = await bot.create_forum_topic(GROUP, "Jeanne — 3e", icon_color=TOPIC_COLORS[1])
    thread = topic.message_thread_id
    assert (topic.name, topic.icon_color) == ("Jeanne — 3e", TOPIC_COLORS[1])
    header = api.message(GROUP, thread)
    assert header is not None
    assert header["forum_topic_created"]["name"] == "Jeanne — 3e"
    assert header["message_id"] == thread, "a topic's id is its creation message's id"

    for name in ("", "x" * 129):
        with pytest.raises(BadRequest, match="Topic_name_invalid"):
            await bot.create_forum_topic(GROUP, name)
    api.push_message(USER, "salut", chat_type="group")
    with pytest.raises(BadRequest, match="The chat is not a forum"):
        await bot.create_forum_topic(-USER, "x")
    assert last_error(api) == "Bad Request: the chat is not a forum"

    assert await bot.edit_forum_topic(GROUP, thread, name="Jeanne — suivi")
    assert api.topics(GROUP)[thread].name == "Jeanne — suivi"
    with pytest.raises(BadRequest, match="Topic_not_modified"):
        await bot.edit_forum_topic(GROUP, thread, name="Jeanne — suivi")

    assert await bot.close_forum_topic(GROUP, thread)
    assert api.topics(GROUP)[thread].closed
    with pytest.raises(BadRequest, match="Topic_not_modified"):
        await bot.close_forum_topic(GROUP, thread)
    with pytest.raises(PermissionError):
        api.push_group_message(GROUP, MEMBER, "je peux écrire ?", thread)
    api.push_group_message(GROUP, COORDINATOR, "les admins oui", thread)
    sent = await bot.send_message(GROUP, "le bot aussi (admin)", message_thread_id=thread)
    assert await bot.reopen_forum_topic(GROUP, thread)
    assert not api.topics(GROUP)[thread].closed
    assert sent.message_thread_id == thread
    assert sent.is_topic_message is True

    assert await bot.delete_forum_topic(GROUP, thread)
    assert thread not in api.topics(GROUP)
    assert api.message(GROUP, sent.message_id) is None, "a topic's messages go with it"
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.send_message(GROUP, "encore là ?", message_thread_id=thread)
    assert last_error(api) == "Bad Request: message thread not found"
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("modifié", GROUP, sent.message_id)
    with pytest.raises(BadRequest, match="Topic_id_invalid"):
        await bot.close_forum_topic(GROUP, thread)


async def test_a_topic_deleted_by_hand_refuses_every_send(bot: Bot, api: BotApiEmulator) -> None:
    thread = await new_topic(bot)
    await bot.send_message(GROUP, "Nouvelle demande", message_thread_id=thread)
    api.delete_topic(GROUP, thread)
    assert api.thread_messages(GROUP, thread) == []
    user_message = api.push_message(USER, "toujours là ?")
    attempts = [
        bot.send_message(GROUP, "x", message_thread_id=thread),
        bot.copy_message(GROUP, USER, user_message["message_id"], message_thread_id=thread),
        bot.send_photo(GROUP, InputFile(png(), filename="p.png"), message_thread_id=thread),
        bot.send_document(GROUP, InputFile(b"x", filename="a.txt"), message_thread_id=thread),
    ]
    for attempt in attempts:
        with pytest.raises(BadRequest, match="Message thread not found"):
            await attempt


async def test_html_is_stored_as_plain_text_with_mentions(bot: Bot, api: BotApiEmulator) -> None:
    thread = await new_topic(bot)
    html = (
        f'<b>Nouvelle demande</b> de <a href="tg://user?id={USER}">Jeanne</a> &amp; '
        '<i>co</i> — <a href="https://parcours.example/fiche">fiche</a>\n'
        "<blockquote>citation</blockquote> <code>x &lt; y</code> <pre>bloc</pre> "
        "<u>u</u> <s>s</s> <tg-spoiler>secret</tg-spoiler>"
    )
    sent = await bot.send_message(GROUP, html, parse_mode="HTML", message_thread_id=thread)
    assert sent.text is not None
    assert sent.text.startswith("Nouvelle demande de Jeanne & co — fiche\ncitation x < y")
    kinds = {e.type: e for e in sent.entities}
    assert kinds["text_mention"].user is not None
    assert kinds["text_mention"].user.id == USER
    assert kinds["text_link"].url == "https://parcours.example/fiche"
    assert {"bold", "italic", "blockquote", "code", "pre", "underline", "spoiler"} <= set(kinds)
    mention = kinds["text_mention"]
    assert sent.text[mention.offset : mention.offset + mention.length] == "Jeanne"

    view = api.thread_messages(GROUP, thread)[-1]
    assert view.text == sent.text
    assert view.kind == "text"
    assert view.from_bot
    assert view.mentions_user(USER)
    assert not view.mentions_user(COORDINATOR)

    for bad in ("<b>gras", "<b>x</i>", "x</b>", "<div>x</div>", "1 < 2"):
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(GROUP, bad, parse_mode="HTML", message_thread_id=thread)
    assert last_error(api).startswith("Bad Request: can't parse entities: ")

    edited = await bot.edit_message_text(
        "<b>Prise en charge</b> par Paul", GROUP, sent.message_id, parse_mode="HTML"
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Prise en charge par Paul"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<b>Prise en charge</b> par Paul", GROUP, sent.message_id, parse_mode="HTML"
        )
    assert last_error(api) == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    stored = api.message(GROUP, sent.message_id)
    assert stored is not None
    assert stored["text"] == "Prise en charge par Paul"
    assert "edit_date" in stored


async def test_photos_by_upload_or_file_id_and_downloads(bot: Bot, api: BotApiEmulator) -> None:
    thread = await new_topic(bot)
    picture = png(40, 30)
    sent = await bot.send_photo(
        GROUP,
        InputFile(picture, filename="p.png"),
        caption="<b>Fiche</b> de Jeanne",
        parse_mode="HTML",
        message_thread_id=thread,
    )
    largest = sent.photo[-1]
    assert (largest.width, largest.height) == (40, 30)
    assert sent.caption == "Fiche de Jeanne"
    assert sent.caption_entities[0].type == "bold"
    assert sent.message_thread_id == thread

    again = await bot.send_photo(USER, largest.file_id)
    assert again.photo[-1].file_id == largest.file_id
    file = await bot.get_file(largest.file_id)
    assert bytes(await file.download_as_bytearray()) == picture

    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(USER, InputFile(b"not a picture", filename="x.png"))
    with pytest.raises(BadRequest, match="Can't use file of type photo as document"):
        await bot.send_document(USER, largest.file_id)
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("AgACAgQAAxkBAAIunknown")


async def test_files_users_send_are_downloadable(bot: Bot, api: BotApiEmulator) -> None:
    thread = await new_topic(bot)
    api.push_photo(USER, caption="mon CV en photo")
    api.push_document(USER, filename="cv.pdf", content=b"%PDF-1.4 cv")
    api.push_photo(MEMBER, GROUP, thread, "vu")
    photo, document, in_topic = [u.message for u in await drain(bot) if u.message]
    assert photo.caption == "mon CV en photo"
    data = await (await photo.photo[-1].get_file()).download_as_bytearray()
    assert bytes(data) == png()
    assert document.document is not None
    assert document.document.file_name == "cv.pdf"
    assert document.document.mime_type == "application/pdf"
    data = await (await document.document.get_file()).download_as_bytearray()
    assert bytes(data) == b"%PDF-1.4 cv"
    assert in_topic.message_thread_id == thread
    assert in_topic.is_topic_message is True


async def test_copy_and_forward_messages(bot: Bot, api: BotApiEmulator) -> None:
    thread = await new_topic(bot)
    text = api.push_message(USER, "Bonjour, je cherche un stage")
    copied = await bot.copy_message(GROUP, USER, text["message_id"], message_thread_id=thread)
    stored = api.message(GROUP, copied.message_id)
    assert stored is not None
    assert (stored["text"], stored["message_thread_id"]) == (text["text"], thread)
    assert stored["from"]["is_bot"] is True

    photo = api.push_photo(USER, caption="ma photo")
    copied = await bot.copy_message(
        GROUP,
        USER,
        photo["message_id"],
        message_thread_id=thread,
        caption="<i>Photo de Jeanne</i>",
        parse_mode="HTML",
    )
    stored = api.message(GROUP, copied.message_id)
    assert stored is not None
    assert stored["photo"] == photo["photo"]
    assert stored["caption"] == "Photo de Jeanne"
    document = api.push_document(USER, caption="mon CV")
    copied = await bot.copy_message(GROUP, USER, document["message_id"], message_thread_id=thread)
    kinds = [(v.kind, v.text) for v in api.thread_messages(GROUP, thread)]
    assert kinds == [("text", text["text"]), ("photo", "Photo de Jeanne"), ("document", "mon CV")]

    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(GROUP, USER, 99_999)
    assert last_error(api) == "Bad Request: message to copy not found"
    with pytest.raises(BadRequest, match="Message can't be copied"):
        await bot.copy_message(USER, GROUP, thread)  # the topic's service message

    forwarded = await bot.forward_message(
        GROUP, USER, text["message_id"], message_thread_id=thread
    )
    assert isinstance(forwarded.forward_origin, MessageOriginUser)
    assert forwarded.forward_origin.sender_user.id == USER
    assert forwarded.text == text["text"]


async def test_pins_reactions_and_deletions(bot: Bot, api: BotApiEmulator) -> None:
    thread = await new_topic(bot)
    card = await bot.send_message(GROUP, "Fiche de Jeanne", message_thread_id=thread)
    assert await bot.pin_chat_message(GROUP, card.message_id)
    assert api.pinned(GROUP)[-1] == card.message_id
    pinned = (await bot.get_chat(GROUP)).pinned_message
    assert pinned is not None
    assert pinned.message_id == card.message_id
    service = api.thread_messages(GROUP, thread, include_service=True)[-1]
    assert "pinned_message" in service.raw, "Telegram announces the pin in the topic"
    with pytest.raises(BadRequest, match="Message to pin not found"):
        await bot.pin_chat_message(GROUP, 99_999)
    assert last_error(api) == "Bad Request: message to pin not found"
    assert await bot.unpin_chat_message(GROUP, card.message_id)
    assert card.message_id not in api.pinned(GROUP)

    assert await bot.set_message_reaction(GROUP, card.message_id, "👍")
    assert api.reactions(GROUP, card.message_id) == [{"type": "emoji", "emoji": "👍"}]
    with pytest.raises(BadRequest, match="Reaction_invalid"):
        await bot.set_message_reaction(GROUP, card.message_id, "✅")
    with pytest.raises(BadRequest, match="Message to react not found"):
        await bot.set_message_reaction(GROUP, 99_999, "👍")

    assert await bot.delete_message(GROUP, card.message_id)
    assert api.message(GROUP, card.message_id) is None
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(GROUP, card.message_id)


async def test_locations_and_pushed_updates(bot: Bot, api: BotApiEmulator) -> None:
    sent = await bot.send_location(USER, 48.8566, 2.3522)
    assert sent.location is not None
    assert sent.location.latitude == pytest.approx(48.8566)
    thread = await new_topic(bot)
    first = api.push_message(USER, "avant")
    api.push_location(USER, 45.76, 4.83)
    api.push_contact(USER, "+33612345678")
    api.push_group_message(GROUP, COORDINATOR, "/fermer@parcours_test_bot", thread)
    card = await bot.send_message(GROUP, "Fiche", message_thread_id=thread)
    api.push_group_message(GROUP, COORDINATOR, "Je m'en occupe", thread, reply_to=card.message_id)
    api.push_edited_message(USER, first["message_id"], "après")
    api.push_forwarded_message(USER, "transféré", origin_user_id=MEMBER)
    updates = await drain(bot)
    messages = [u.message for u in updates if u.message]
    _, location, contact, command, reply, forwarded = messages
    assert location.location is not None
    assert location.location.longitude == pytest.approx(4.83)
    assert contact.contact is not None
    assert (contact.contact.phone_number, contact.contact.user_id) == ("+33612345678", USER)
    assert command.message_thread_id == thread
    assert command.is_topic_message is True
    assert command.entities[0].type == "bot_command"
    assert command.reply_to_message is not None
    assert command.reply_to_message.forum_topic_created is not None, "Telegram's topic quirk"
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == card.message_id
    assert isinstance(forwarded.forward_origin, MessageOriginUser)
    assert forwarded.forward_origin.sender_user.id == MEMBER
    edited = next(u.edited_message for u in updates if u.edited_message)
    assert (edited.message_id, edited.text) == (first["message_id"], "après")
    assert [v.text for v in api.thread_messages(GROUP, thread)] == [
        "/fermer@parcours_test_bot",
        "Fiche",
        "Je m'en occupe",
    ]


async def test_fail_next_applies_to_the_new_methods(bot: Bot, api: BotApiEmulator) -> None:
    api.fail_next("createForumTopic", chat_id=GROUP)
    with pytest.raises(RetryAfter):
        await bot.create_forum_topic(GROUP, "x")
    thread = await new_topic(bot, "x")
    source = api.push_message(USER, "à copier")
    api.fail_next("copyMessage", code=502, description="Bad Gateway", retry_after=None)
    with pytest.raises(NetworkError):
        await bot.copy_message(GROUP, USER, source["message_id"], message_thread_id=thread)
    copied = await bot.copy_message(GROUP, USER, source["message_id"], message_thread_id=thread)
    assert copied.message_id > thread
