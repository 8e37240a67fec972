"""What the server refuses before any page runs: Streamlit's own routes, which no page can guard.
launch.py puts `Guard` in front of every request (st.App's middleware).

- `/_stcore/metrics` is not served: it tells anyone, signed in or not, how many sessions are open
  and what the caches hold.
- An upload (PUT /_stcore/upload_file/<session>/<file>) is taken only into a session whose person
  may import (the Import page's role: with sign-in on, an administrator who signed in; without it,
  the operator), and a session holds at most MAX_FILES files and MAX_BYTES, counting the uploads
  still arriving; each file is also within server.maxUploadSize (.streamlit/config.toml). Streamlit
  keeps uploaded files in memory, so without this anyone who reached the sign-in page could fill it.
"""

from __future__ import annotations

import re

from starlette.responses import PlainTextResponse

from dashboard.app import signin

MAX_FILES = 4
MAX_BYTES = 100 * 2**20  # two files of the largest size Streamlit accepts (50 MB)
_METRICS = re.compile(r"/_stcore/metrics/?$")
_UPLOAD = re.compile(r"/_stcore/upload_file/([^/]+)/[^/]+/?$")


class Guard:
    """ASGI middleware: refuses the requests above, passes every other one on untouched."""

    def __init__(self, app):
        self.app = app
        self._arriving: dict[str, list[int]] = {}  # session -> sizes of its uploads still arriving

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if _METRICS.search(path):
            await PlainTextResponse("Not found", status_code=404)(scope, receive, send)
            return
        upload = _UPLOAD.search(path)
        if upload and scope["method"] == "PUT":
            await self._upload(upload.group(1), scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _upload(self, session: str, scope, receive, send) -> None:
        size = _content_length(scope)
        refusal = _refusal(session, size, self._arriving.get(session, []))
        if refusal is not None:
            status, text = refusal
            await _drain(receive, size)  # read (and drop) a bounded body, so the client reads the answer
            await PlainTextResponse(text, status_code=status)(scope, receive, send)
            return
        # No await between the check above and this reservation: the event loop runs one at a time.
        arriving = self._arriving.setdefault(session, [])
        arriving.append(size)
        try:
            await self.app(scope, receive, send)
        finally:
            arriving.remove(size)
            if not arriving:
                del self._arriving[session]


def _refusal(session: str, size: int | None, arriving: list[int]) -> tuple[int, str] | None:
    """Why an upload of `size` bytes into `session` is refused (HTTP status and text), or None."""
    from streamlit import config, runtime

    app_session = runtime.get_instance().get_app_session(session)
    if app_session is None or not _may_import(app_session.session_state):
        return 403, "Uploads need a signed-in person who may import data."
    if size is None:
        return 411, "An upload must say its length (Content-Length)."
    if size > config.get_option("server.maxUploadSize") * 2**20:
        return 413, "The file is larger than this server accepts."
    held = runtime.get_instance().uploaded_file_mgr.file_storage.get(session, {})  # MemoryUploadedFileManager
    files = len(held) + len(arriving) + 1
    total = sum(len(f.data) for f in held.values()) + sum(arriving) + size
    if files > MAX_FILES or total > MAX_BYTES:
        share = f"{MAX_FILES} files, {MAX_BYTES // 2**20} MB in all"
        return 413, f"One session holds at most {share}: reload the page to start again."
    return None


def _may_import(state) -> bool:
    """Whether the session's person (signin.gate put it there, before any page ran) may import."""
    try:
        person = state[signin.PERSON]
    except KeyError:  # the session has not passed the sign-in gate
        return False
    return person.may("import")


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _drain(receive, size: int | None) -> None:
    """Read a refused request's body and drop it, up to the largest upload Streamlit accepts."""
    from streamlit import config

    if size is None or size > config.get_option("server.maxUploadSize") * 2**20:
        return
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return
