"""What the server refuses before any page runs: Streamlit's own routes, which no page can guard.
launch.py puts `Guard` in front of every request (st.App's middleware).

- `/_stcore/metrics` is not served: it tells anyone, signed in or not, how many sessions are open
  and what the caches hold.
- An upload (PUT /_stcore/upload_file/<session>/<file>) is taken only into a session whose person
  may import (the Import page's role: with sign-in on, an administrator who signed in; without it,
  the operator), and a session holds at most MAX_FILES files and MAX_BYTES, counting the uploads
  still arriving; each file is also within server.maxUploadSize (.streamlit/config.toml). Streamlit
  keeps uploaded files in memory, so without this anyone who reached the sign-in page could fill it.

And what it changes: a page's HTML is served as `<html lang="th">` (or "en" for `?lang=en`, the link's
own rule), not Streamlit's fixed "en", so a screen reader or a browser's translation offer reads the
document right from its first byte, before the app's script (document.py) can set it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from starlette.responses import PlainTextResponse

from dashboard.app import signin
from dashboard.views import i18n, links

MAX_FILES = 4
MAX_BYTES = 100 * 2**20  # two files of the largest size Streamlit accepts (50 MB)
_METRICS = re.compile(r"/_stcore/metrics/?$")
_UPLOAD = re.compile(r"/_stcore/upload_file/([^/]+)/[^/]+/?$")
# A page's address (Streamlit answers it with index.html): no file name, not one of its own routes.
_PAGE = re.compile(r"^(?!.*/(_stcore|static|media|component|auth)/)[^.]*$")
_HTML_LANG = b'<html lang="en">'


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
        if path and scope["method"] in ("GET", "HEAD") and _PAGE.match(path):
            await self.app(_uncompressed(scope), receive, _in_language(scope, send))
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


def _uncompressed(scope) -> dict:
    """The request without Accept-Encoding: a page's HTML (8 KB) is rewritten below, which gzip would
    hide (Streamlit compresses every page's HTML but the root's)."""
    headers = [(name, value) for name, value in scope["headers"] if name != b"accept-encoding"]
    return {**scope, "headers": headers}


def _in_language(scope, send):
    """`send`, with an HTML answer's `<html lang="en">` in the link's language (th unless ?lang=en)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    state, _ = links.read(query, {"lang": links.SHARED["lang"]}, {"lang": i18n.LANGUAGES})
    lang = state.get(links.SHARED["lang"].key, i18n.DEFAULT)
    tag = f'<html lang="{lang}">'.encode()
    start: dict = {}

    async def sending(message) -> None:
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", ()))
            if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                start.update(message)  # held until the body is known: its length changes
                return
        elif start and message["type"] == "http.response.body":
            await _send_rewritten(send, start, message, tag)
            return
        await send(message)

    return sending


async def _send_rewritten(send, start: dict, message: dict, tag: bytes) -> None:
    """The held answer, with its `<html lang="en">` replaced when its body came whole (Streamlit
    sends its 8 KB index.html in one piece); anything else passes unchanged."""
    body, headers = message.get("body", b""), start.get("headers", ())
    if not message.get("more_body") and _HTML_LANG in body:
        body = body.replace(_HTML_LANG, tag, 1)
        headers = [(n, v) for n, v in headers if n != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
    await send({**start, "headers": headers})
    start.clear()
    await send({**message, "body": body})


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
