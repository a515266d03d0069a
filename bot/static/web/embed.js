// One-tag embedding of the assistant's chat on the agency's site (docs/WEB_EMBED.md):
//   <script src="https://chat.example.fr/embed.js" defer></script>
// Adds a launcher button and the chat in an iframe served by the chat's own origin.
(() => {
  const script = document.currentScript;
  const origin = new URL(script.src).origin;
  const frame = document.createElement("iframe");
  frame.id = "parcours-frame";
  frame.title = %%TITLE_JSON%%;  // filled by the server (the region pack)
  frame.src = `${origin}/?embed=1`;
  frame.allow = "clipboard-write";
  frame.hidden = true;
  frame.style.cssText = [
    "position:fixed", "right:16px", "bottom:84px", "width:min(400px, calc(100vw - 32px))",
    "height:min(620px, calc(100vh - 110px))", "border:1px solid #c9d2de", "border-radius:12px",
    "box-shadow:0 8px 24px rgba(0,0,0,.18)", "background:#fff", "z-index:2147483000",
  ].join(";");
  const launcher = document.createElement("button");
  launcher.id = "parcours-launcher";
  launcher.type = "button";
  launcher.textContent = "💬 Une question sur les métiers ?";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "parcours-frame");
  launcher.style.cssText = [
    "position:fixed", "right:16px", "bottom:16px", "padding:12px 18px", "border:0",
    "border-radius:999px", "background:#1f4e8c", "color:#fff", "font:600 16px system-ui,sans-serif",
    "cursor:pointer", "box-shadow:0 4px 12px rgba(0,0,0,.2)", "z-index:2147483001",
  ].join(";");
  launcher.addEventListener("click", () => {
    const open = frame.hidden;
    frame.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.textContent = open ? "✕ Fermer le chat" : "💬 Une question sur les métiers ?";
    if (open) frame.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !frame.hidden) {
      frame.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      launcher.textContent = "💬 Une question sur les métiers ?";
      launcher.focus();
    }
  });
  document.body.append(frame, launcher);
})();
