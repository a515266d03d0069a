"""Files: sendPhoto and sendDocument (multipart upload or a known file_id), getFile, and the
store behind the file download URL (also used for the files users send)."""

from __future__ import annotations

import mimetypes
import struct
import zlib
from typing import Any

from devstack.botapi.core import (
    MAX_DOWNLOAD,
    Chat,
    Params,
    StoredFile,
    UploadedFile,
    api_method,
    bad_request,
    copy_json,
    new_file_id,
)
from devstack.botapi.messages import SendBase

_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"RIFF", b"BM")
_PREFIX = {"photo": "AgACAgQAAxkBAAI", "document": "BQACAgQAAxkBAAI"}


def png(width: int = 4, height: int = 3) -> bytes:
    """A valid white RGB PNG (the default picture users send)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff" * 3 * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _dimensions(content: bytes) -> tuple[int, int]:
    if content.startswith(b"\x89PNG") and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return int(width), int(height)
    return 1280, 960


class MediaMixin(SendBase):
    """sendPhoto, sendDocument, getFile."""

    def _new_file(self, kind: str, upload: UploadedFile, folder: str, ext: str) -> StoredFile:
        file_id, unique_id = new_file_id(_PREFIX[kind])
        path = f"{folder}/file_{len(self._files)}{ext}"
        stored = self._files[file_id] = StoredFile(file_id, unique_id, kind, upload, path)
        return stored

    def _store_photo(self, upload: UploadedFile) -> StoredFile:
        """A photo as Telegram keeps it: a thumbnail and the full size, largest last."""
        if not upload.content:
            raise bad_request("file must be non-empty")
        if not upload.content.startswith(_IMAGE_MAGIC):
            raise bad_request("IMAGE_PROCESS_FAILED")
        width, height = _dimensions(upload.content)
        thumb = self._new_file("photo", upload, "photos", ".jpg")
        full = self._new_file("photo", upload, "photos", ".jpg")
        scale = min(1.0, 320 / max(width, height))
        sizes = []
        for stored, factor in ((thumb, scale), (full, 1.0)):
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.unique_id,
                    "file_size": len(upload.content),
                    "width": max(1, int(width * factor)),
                    "height": max(1, int(height * factor)),
                }
            )
        thumb.entry = full.entry = sizes
        return full

    def _store_document(self, upload: UploadedFile) -> StoredFile:
        if not upload.content:
            raise bad_request("file must be non-empty")
        ext = "." + upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else ""
        stored = self._new_file("document", upload, "documents", ext)
        mime = upload.content_type
        if mime in ("", "application/octet-stream"):
            mime = mimetypes.guess_type(upload.filename)[0] or mime
        stored.entry = {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_name": upload.filename,
            "mime_type": mime,
            "file_size": len(upload.content),
        }
        return stored

    def _input_file(self, params: Params, field: str) -> StoredFile:
        """The `photo` / `document` parameter: an upload, attach://name, or a known file_id."""
        value = params.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if value is None or value == "":
            raise bad_request(f"there is no {field} in the request")
        if isinstance(value, UploadedFile):
            return self._store_photo(value) if field == "photo" else self._store_document(value)
        stored = self._files.get(str(value))
        if stored is None:
            if str(value).startswith(("http://", "https://")):
                raise bad_request("wrong file identifier/HTTP URL specified")
            raise bad_request("wrong remote file identifier specified: Wrong string length")
        if stored.kind != field:
            raise bad_request(f"can't use file of type {stored.kind.title()} as {field.title()}")
        return stored

    def _send_file(self, chat: Chat, params: Params, field: str) -> dict[str, Any]:
        stored = self._input_file(params, field)
        body: dict[str, Any] = {field: copy_json(stored.entry)}
        body.update(self._caption_body(params))
        body.update(self._common_send(chat, params))
        return self._bot_message(chat, body, params.get("message_thread_id"))

    @api_method("sendPhoto")
    def _send_photo(self, params: Params) -> dict[str, Any]:
        with self._lock:
            return self._send_file(self._target_chat(params), params, "photo")

    @api_method("sendDocument")
    def _send_document(self, params: Params) -> dict[str, Any]:
        with self._lock:
            return self._send_file(self._target_chat(params), params, "document")

    @api_method("getFile")
    def _get_file(self, params: Params) -> dict[str, Any]:
        with self._lock:
            stored = self._files.get(str(params.get("file_id") or ""))
            if stored is None:
                raise bad_request("invalid file_id")
            if len(stored.upload.content) > MAX_DOWNLOAD:
                raise bad_request("file is too big")
            return {
                "file_id": stored.file_id,
                "file_unique_id": stored.unique_id,
                "file_size": len(stored.upload.content),
                "file_path": stored.path,
            }
