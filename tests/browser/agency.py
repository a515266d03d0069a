"""The agency's own site, for the embed test: a page on another origin of the loopback (Chromium
refuses a public page's request to the loopback), the same site (over plain HTTP the session
cookie is SameSite=Lax), bound before the bot starts so that its origin can be allowed
(WEB_ALLOWED_ORIGINS)."""

from __future__ import annotations

import http.server
import threading
from typing import Any

HOST_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Agence (test)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Le site de l'agence</h1><p>Une page de son site.</p></main>
<script src="{app}/embed.js" defer></script></body></html>"""


class AgencySite:
    """A one-page web site embedding the widget of the app at `app_url`."""

    def __init__(self) -> None:
        self.app_url = ""
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = HOST_PAGE.format(app=site.app_url).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()
