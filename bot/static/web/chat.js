// The chat page's widget: deep-chat (vendored, MIT) wired to the server's WebSocket.
// Protocol and DOM contract: docs/WEB_EMBED.md. No network access but this server's.
import "./deepChat.bundle.js";

const MAX_TEXT = 4096;
const chat = document.getElementById("parcours-chat");
const typing = document.getElementById("pm-typing");
const statusLine = document.getElementById("pm-status");
const live = document.getElementById("pm-live");
const root = document.documentElement;
if (new URLSearchParams(location.search).has("embed")) root.classList.add("pm-embed");

let socket = null;
let signals = null;
let attempts = 0;
let counter = 0;
let justForgotten = false; // keep "données effacées" on screen for the new, empty session
let lastAnswer = []; // the last turn's answer (after /oubli: the confirmation, shown alone)

const buttonStyles = {
  default: {
    display: "inline-block", margin: "0.25rem 0.35rem 0 0", padding: "0.4rem 0.8rem",
    border: "1px solid #1f4e8c", borderRadius: "999px", backgroundColor: "#ffffff",
    color: "#1f4e8c", font: "inherit", cursor: "pointer",
  },
  hover: { backgroundColor: "#e8eef7" },
  click: { backgroundColor: "#d3e0f2" },
};

function frameId() {
  counter += 1;
  const random = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
  return `${random}-${counter}`.slice(0, 64);
}

function setState(state) {
  root.dataset.pmState = state;
}

function setTyping(on) {
  typing.hidden = !on;
}

function plainText(message) {
  if (message.text !== undefined) return message.text;
  const body = new DOMParser().parseFromString(message.html || "", "text/html").body;
  body.querySelectorAll(".pm-buttons").forEach((buttons) => buttons.remove());
  return body.textContent || "";
}

function show(messages) {
  const shown = messages.map((m) => (m.html !== undefined
    ? { role: m.role, html: m.html, custom: { id: m.id } }
    : { role: m.role, text: m.text, custom: { id: m.id } }));
  shown.forEach((m) => chat.addMessage(m));
  const spoken = messages.filter((m) => m.role !== "user").map(plainText).join(" ");
  if (spoken) live.textContent = spoken;
}

function send(frame) {
  if (!socket || socket.readyState !== WebSocket.OPEN) {
    statusLine.textContent = "Connexion perdue : nouvelle tentative en cours…";
    return false;
  }
  socket.send(JSON.stringify({ ...frame, id: frameId() }));
  setTyping(true);
  return true;
}

function press(element, frame) {
  const title = (element.textContent || "").trim();
  if (send({ ...frame, title })) chat.addMessage({ role: "user", text: title });
}

function onButton(event) {
  const button = event.target?.closest ? event.target.closest("button") : event.target;
  if (button?.dataset?.payload) press(button, { type: "button", payload: button.dataset.payload });
}

function onCommand(event) {
  const button = event.target?.closest ? event.target.closest("button") : event.target;
  if (button?.dataset?.command) press(button, { type: "command", command: button.dataset.command });
}

async function newSession() {
  const response = await fetch("/session", { method: "POST", credentials: "same-origin" });
  return response.ok;
}

function onFrame(event) {
  let data;
  try {
    data = JSON.parse(event.data);
  } catch {
    return;
  }
  if (data.type === "history") {
    const keep = justForgotten && data.messages.length === 0;
    justForgotten = false;
    if (!keep) chat.clearMessages(false);
    show(data.messages);
    setState("ready");
    statusLine.textContent = "";
    if (data.messages.length === 0 && !keep) send({ type: "start" });
  } else if (data.type === "typing") {
    setTyping(true);
  } else if (data.type === "messages") {
    if (!data.push) {
      setTyping(false);
      lastAnswer = data.messages;
    }
    show(data.messages);
  } else if (data.type === "error") {
    setTyping(false);
    show([{ role: "ai", text: data.text }]);
  } else if (data.type === "forgotten") {
    // Erased for good: nothing of it stays on screen (a shared or family computer), but the
    // confirmation itself.
    setTyping(false);
    chat.clearMessages(false);
    show(lastAnswer);
    justForgotten = true;
    renewSession();
  }
}

async function renewSession() {
  socket?.close();
  await newSession();
  attempts = 0;
  connect();
}

function connect() {
  setState("connecting");
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}/ws`);
  socket = ws;
  ws.addEventListener("open", () => {
    attempts = 0;
    signals?.onOpen();
  });
  ws.addEventListener("message", onFrame);
  ws.addEventListener("close", async (event) => {
    if (socket !== ws) return;
    setTyping(false);
    setState("closed");
    signals?.onClose();
    if (event.code === 4401) {
      if (await newSession()) connect();
      return;
    }
    if (event.code === 1000) return;
    statusLine.textContent = event.code === 4429
      ? "Trop de fenêtres ouvertes sur ce chat : fermez-en une."
      : "Connexion perdue : nouvelle tentative en cours…";
    if (event.code === 4429) return;
    attempts += 1;
    setTimeout(connect, Math.min(30000, 1000 * 2 ** Math.min(attempts, 5)));
  });
}

function ensureSubmitLabel(shadow) {
  const submit = shadow.querySelector(".submit-button");
  if (submit && submit.getAttribute("aria-label") !== "Envoyer") {
    submit.setAttribute("aria-label", "Envoyer");
  }
}

chat.introMessage = { text: chat.dataset.greeting };  // the region's words, filled by the server
chat.textInput = {
  characterLimit: MAX_TEXT,
  placeholder: { text: "Écrire un message…" },
  styles: { container: { border: "1px solid #6b6b6b" } },
};
chat.names = {
  ai: { text: "Assistant" },
  user: { text: "Vous" },
  coordinateur: { text: "Conseiller" },
};
chat.messageStyles = {
  default: {
    shared: { bubble: { maxWidth: "85%", lineHeight: "1.45", fontSize: "1rem" } },
    user: { bubble: { backgroundColor: "#1f4e8c", color: "#ffffff" } },
    ai: { bubble: { backgroundColor: "#ffffff", color: "#1a1a1a", border: "1px solid #c9d2de" } },
    coordinateur: { bubble: { backgroundColor: "#e6f2e8", color: "#12361c", border: "1px solid #9cc5a6" } },
  },
};
chat.chatStyle = { width: "100%", height: "100%", border: "1px solid #c9d2de", borderRadius: "8px", backgroundColor: "#fbfcfd" };
chat.auxiliaryStyle = `
  .pm-p { margin: 0 0 0.5em; white-space: normal; overflow-wrap: anywhere; }
  .pm-p:last-child { margin-bottom: 0; }
  a.pm-link, a.pm-map, a.pm-file { color: #1f4e8c; text-decoration: underline; }
  .pm-buttons { margin-top: 0.4rem; }
  .pm-button:focus-visible, .pm-command:focus-visible, a:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
`;
chat.htmlClassUtilities = {
  "pm-button": { events: { click: onButton }, styles: buttonStyles },
  "pm-command": { events: { click: onCommand }, styles: buttonStyles },
};
chat.connect = {
  websocket: true,
  handler: (_body, given) => {
    // deep-chat calls this again whenever it re-renders: one socket for the page.
    signals = given;
    given.newUserMessage.listener = (body) => {
      const text = body?.messages?.[0]?.text ?? "";
      send({ type: "text", text: String(text).slice(0, MAX_TEXT) });
    };
    if (socket === null) connect();
    else if (socket.readyState === WebSocket.OPEN) given.onOpen();
  },
};
chat.onComponentRender = () => {
  const shadow = chat.shadowRoot;
  if (!shadow) return;
  ensureSubmitLabel(shadow);
  new MutationObserver(() => ensureSubmitLabel(shadow)).observe(shadow, { childList: true, subtree: true });
};

document.querySelectorAll("#pm-actions button").forEach((button) => {
  button.addEventListener("click", () => press(button, { type: "command", command: button.dataset.command }));
});
