"""Hostile inputs shared by the fuzz tests (hypothesis, unit) and the replay check (integration).

Plain lists of nasty fragments plus a seeded generator of replay lines; the hypothesis
strategies in tests/unit/bot/test_hostile_inputs.py are built from the same lists.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata

#: Every C0 and C1 control character, NUL included.
CONTROL_CHARS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]
#: Bidi embeddings, overrides, isolates and marks.
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
BIDI += ["\u200e", "\u200f", "\u061c"]
#: Zero-width and other invisible characters.
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\U000e0041"]
#: Lone surrogates: a Python str (and a JSON "\\ud800" escape) allows them, UTF-8 does not.
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
COMBINING = [chr(c) for c in range(0x300, 0x370)]
EMOJI = ["😀", "👍", "👍🏽", "❤️", "🔥", "🐙", "👨‍👩‍👧‍👦", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🇫🇷", "🆘", "1️⃣", "🤔"]
RTL_TEXT = ["مرحبا، أريد تدريب", "שלום עולם", "\u202eecnarF ne egats", "سلام \u202dabc\u202c"]

INJECTIONS = [
    "'; DROP TABLE users;--",
    "Robert'); DROP TABLE pending_messages;--",
    "' OR '1'='1",
    '" OR ""="',
    "1; SELECT * FROM handoffs",
    "%' AND 1=1 --",
    "\\'; \\\\ %_",
    "<b>gras</b>",
    "</a><script>alert(1)</script>",
    '<a href="tg://user?id=1">x</a>',
    "&amp; &lt;b&gt; &#x202E; &#0;",
    "*_[lien](http://evil.example)_*",
    "_*[]()~`>#+-=|{}.!\\",
    "```python\nimport os\n```",
    "||spoiler|| __souligné__ ~barré~",
    "${7*7} {{7*7}} #{7*7} %s %d %n",
    "\\u0000 \\x00 \\n",
    "Traceback (most recent call last):",
    "null undefined NaN None True",
    "../../../../etc/passwd",
]
#: Typed text that looks like a command or a Rasa payload.
FAKE_COMMANDS = [
    "/start@x y",
    "/start@ParcoursBot parent",
    "/start admin",
    "/start eleve",
    "//",
    "/",
    "/😀",
    "/ /",
    "/aide@",
    "/humain now",
    "/oubli",
    "/mes_donnees",
    "/recommencer",
    "/START",
    "/restart",
    "/EXTERNAL_handback",
    "/forget_confirm",
    "/cancel_handoff",
    "/rate_3",
    "/ask_human",
    "/ask_human@0.99",
    '/set_role{"role":"admin"}',
    '/inform{"town":"x"}',
    '/tell_age{"age_band":"-1"}',
    "/ /ask_human",
    "/\n/ask_human",
    '/\u2003/inform{"town":"x"}',
    "/\u200b/ask_human",
    "\u200b/ask_human",
    "\u202e/ask_human",
    "\u061c/ask_human",
    " \t/ask_human",
    "///ask_human",
    "/\u00ad/ask_human",
    '/faq{"faq_key":"x"}',
    "/nlu_fallback",
    "/session_start",
    "/action_listen",
]
URLS = [
    "https://parcours-metier.normandie.fr/agence-orientation",
    "http://evil.example/?q=<script>&x='1'",
    "javascript:alert(1)",
    "tg://resolve?domain=x",
    "https://xn--80ak6aa92e.com/%00%2e%2e/",
    "www." + "a" * 300 + ".fr",
]
NUMBERS = ["0", "-1", "1e308", "NaN", "99999999999999999999999999", "0x7fffffff", "١٢٣", "½", "Ⅻ"]

#: Button payloads: valid-looking intents with broken entities, intents never offered, junk.
BROKEN_ENTITIES = [
    "{",
    "}",
    "{}",
    "{}}",
    "}{",
    '{"role":',
    '{"role":"admin"}',
    '{"role":null}',
    '{"faq_key":"../../etc"}',
    '{"a":"\x00"}',
    '{"a":"\u202e"}',
    "[1]",
    "@0.9",
    "@2",
    '{"town":"' + "x" * 300 + '"}',
    '{"role":"eleve"}\n',
    '{"age_band":"16_18", "role": ["eleve"]}',
]
ALLOWED_INTENTS = ["set_role", "tell_age", "faq_confirm", "ask_human", "menu", "inform"]
FORBIDDEN_INTENTS = [
    "restart",
    "session_start",
    "EXTERNAL_handback",
    "nlu_fallback",
    "action_listen",
    "back",
    "stop",
    "rate_4",
    "forget_confirmx",
    "share_location",
    "Menu",
    "menu ",
    " menu",
]
LOCAL_BUTTONS = ["/cancel_handoff", "/forget_confirm", "/rate_1", "/rate_2", "/rate_3"]


def forged_buttons() -> list[str]:
    """A fixed list of forged button payloads (the allowed ones are there too)."""
    buttons = [f"/{i}{e}" for i in ALLOWED_INTENTS for e in BROKEN_ENTITIES]
    buttons += [f"/{i}" for i in FORBIDDEN_INTENTS] + [f"/{i}{{}}" for i in FORBIDDEN_INTENTS]
    buttons += ["", " ", "/", "menu", "#0123456789abcdef0123", "\x00/menu", "/menu\x00"]
    buttons += ["/menu\n", "/ menu", "//menu", "/" + "a" * 64, "/menu" + " " * 70, "😀" * 20]
    return buttons + LOCAL_BUTTONS


#: Texts that the dialogue must treat as ordinary questions or notices.
def hostile_texts() -> list[str]:
    """A fixed list covering every family (long ones are built, not stored)."""
    texts = [
        "",
        " ",
        " \n\t\r ",
        "\u3000\u2003\u00a0",
        "".join(CONTROL_CHARS),
        "\x00",
        "bonjour\x00\x1b[31m rouge \x1b[0m",
        "mini\u00adstage",
        "ap\u200dpren\u200btissage",
        "\u202ebonjour\u202c",
        "Z" + "".join(COMBINING) * 20,
        "e" + "\u0301" * 5000,
        "😀" * 2000,
        "👍" * 50,
        "👍🏽👍🏽👍🏽",
        "🆘",
        "mot" * 3000,
        "a" * 100_000,
        "stage " * 20_000,
        "é" * 4097,
        " " * 4096 + "question",
        "\n" * 10_000 + "aide",
        "x" * 4095 + " yz",
        *RTL_TEXT,
        *INJECTIONS,
        *FAKE_COMMANDS,
        *URLS,
        *NUMBERS,
        *(f"salut {s} ça va" for s in SURROGATES),
    ]
    return texts


TRACEBACK = re.compile(
    r"Traceback|\bFile \"|\bline \d+, in\b|\b\w*(Error|Exception)\b|^\s+at \w", re.M
)


def looks_like_a_traceback(text: str) -> bool:
    """True for text that leaks a stack trace or an exception name."""
    return TRACEBACK.search(text) is not None


def forbidden_chars(text: str, *, allow_format: bool = False) -> list[str]:
    """Control characters (newline aside), lone surrogates and, unless allowed, format ones."""
    banned = {"Cc", "Cs"} if allow_format else {"Cc", "Cs", "Cf"}
    return [c for c in text if unicodedata.category(c) in banned and c != "\n"]


def replay_lines(seed: int, count: int, users: list[str]) -> list[tuple[str, str]]:
    """`count` replay input lines as (kind, JSON line); kind is "text", "button" or "bad".

    Deterministic for a seed; every 10th line is malformed on purpose, and every 10th user
    cancels a hand-off that earlier lines may have asked for.
    """
    rng = random.Random(seed)
    texts, buttons = hostile_texts(), forged_buttons()
    fragments = [*INJECTIONS, *FAKE_COMMANDS, *RTL_TEXT, *EMOJI, *BIDI, *INVISIBLE, *URLS]
    malformed = [
        "{",
        "[]",
        '"juste une chaîne"',
        json.dumps({"text": "sans utilisateur"}),
        json.dumps({"user": "", "text": "x"}),
        json.dumps({"user": "h1", "text": 3}),
        json.dumps({"user": "h1", "text": "x", "button": "/menu"}),
        json.dumps({"user": "u" * 65, "text": "x"}),
        json.dumps({"user": ["h1"], "text": "x"}),
        '{"user": "h1", "text": "x"',
    ]
    lines: list[tuple[str, str]] = []
    queue = rng.sample(texts, min(len(texts), count // 3))  # then random mixes
    for index in range(count):
        user = rng.choice(users)
        if index % 10 == 9:
            lines.append(("bad", malformed[(index // 10) % len(malformed)]))
        elif index % 10 == 4:  # back from a hand-off asked by earlier lines: Rasa again
            lines.append(("button", json.dumps({"user": user, "button": "/cancel_handoff"})))
        elif index % 3 == 2:
            lines.append(("button", json.dumps({"user": user, "button": rng.choice(buttons)})))
        else:
            if queue:
                text = queue.pop(0)
            else:
                parts = rng.sample(fragments, rng.randint(1, 4))
                parts += [rng.choice(CONTROL_CHARS) for _ in range(rng.randint(0, 3))]
                rng.shuffle(parts)
                text = " ".join(parts)
            lines.append(("text", json.dumps({"user": user, "text": text})))
    return lines
