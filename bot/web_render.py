"""Replies and transcript entries → the web chat's messages (deep-chat's `role` + `html`).

deep-chat inserts `html` without sanitising it, so every piece of text that goes into it is
escaped here, and only our own few tags are built around it: paragraphs, links made from
http(s) URLs, payload buttons, the map link of a location, the download link of a file.
What the user typed is sent as `text`, which deep-chat renders with raw HTML escaped.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import quote

from bot.dialogue import is_valid_button
from bot.render import Reply
from parcours.services.web_transcript import Bubble, Entry

#: Same link as the structures' map links in the answers (`parcours.services.structures`).
OSM_URL = "https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
_URL_RE = re.compile(r"https?://[^\s<>\"']+")
_TRAILING = ".,;:!?)»"
#: Commands a text names (the consent notice: /mes_donnees, /oubli) become buttons.
COMMAND_BUTTONS = {
    "/mes_donnees": "Mes données",
    "/oubli": "Effacer mes données",
    "/humain": "Parler à un conseiller",
}
Message = dict[str, Any]


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _linkify(text: str) -> str:
    """Escaped text with its http(s) URLs as links opening in a new tab."""
    out, last = [], 0
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        out.append(escape(text[last : match.start()], quote=False))
        out.append(
            f'<a class="pm-link" href="{_attr(url)}" target="_blank" '
            f'rel="noopener noreferrer">{escape(url, quote=False)}</a>'
        )
        last = end
    out.append(escape(text[last:], quote=False))
    return "".join(out)


def text_html(text: str) -> str:
    """Plain text as paragraphs (blank lines) and line breaks, URLs as links."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        f'<p class="pm-p">{_linkify(p).replace(chr(10), "<br>")}</p>' for p in paragraphs
    )


def _button_html(button: dict[str, str]) -> str:
    title = escape(button.get("title", ""), quote=False)
    url = button.get("url")
    if url is not None:
        if not url.startswith(("https://", "http://")):
            return ""
        return (
            f'<a class="pm-link pm-link-button" href="{_attr(url)}" target="_blank" '
            f'rel="noopener noreferrer">{title}</a>'
        )
    payload = button.get("payload", "")
    if not is_valid_button(payload):
        return ""
    data = _attr(payload)
    return f'<button type="button" class="pm-button" data-payload="{data}">{title}</button>'


def _location_html(location: dict[str, Any]) -> str:
    try:
        lat, lon = float(location["latitude"]), float(location["longitude"])
    except (KeyError, TypeError, ValueError):
        return ""
    label = " — ".join(
        escape(str(part), quote=False)
        for part in (location.get("title"), location.get("address"))
        if part
    )
    url = OSM_URL.format(lat=lat, lon=lon)
    label = label or "Voir sur la carte"
    return (
        f'<p class="pm-p"><a class="pm-map" href="{_attr(url)}" target="_blank" '
        f'rel="noopener noreferrer">📍 {label} (carte OpenStreetMap)</a></p>'
    )


def _file_html(entry_id: int, name: str) -> str:
    if not entry_id:
        return ""
    href = f"/files/{entry_id}/{quote(name)}"
    return (
        f'<p class="pm-p"><a class="pm-file" href="{_attr(href)}" download="{_attr(name)}">'
        f"📄 {escape(name, quote=False)}</a></p>"
    )


def bubble_html(body: dict[str, Any], *, entry_id: int = 0, document: str | None = None) -> str:
    """One assistant (or coordinator) bubble: text, map link, file link, buttons."""
    location = body.get("location") if isinstance(body.get("location"), dict) else None
    text = str(body.get("text") or "")
    if location and text == location.get("title"):
        text = ""  # the map link names the place
    parts = [text_html(text)]
    if location:
        parts.append(_location_html(location))
    if document:
        parts.append(_file_html(entry_id, document))
    buttons = [html for html in (_button_html(b) for b in body.get("buttons") or []) if html]
    buttons += [
        f'<button type="button" class="pm-command" data-command="{command}">{title}</button>'
        for command, title in COMMAND_BUTTONS.items()
        if re.search(rf"{command}\b", text)
    ]
    if buttons:
        parts.append(f'<div class="pm-buttons">{"".join(buttons)}</div>')
    return "".join(parts)


def message(entry: Entry) -> Message:
    """A stored bubble as the page shows it."""
    if entry.role == "user":
        return {"role": "user", "text": str(entry.body.get("text", "")), "id": entry.id}
    html = bubble_html(entry.body, entry_id=entry.id, document=entry.document_name)
    return {"role": entry.role, "html": html, "id": entry.id}


def bubbles(replies: list[Reply], role: str = "ai") -> list[Bubble]:
    """A turn's replies as bubbles to store (an empty text with nothing else is dropped)."""
    return [
        Bubble(role, reply.as_dict(), reply.document)
        for reply in replies
        if reply.text.strip() or reply.buttons or reply.location or reply.document
    ]


def plain(entry: Entry) -> str:
    """The bubble's text alone, for the screen-reader live region."""
    return str(entry.body.get("text", ""))
