"""Sign-in: who is using the app, through OpenID Connect (Streamlit's st.login / st.user), and the
role and scope the roles file gives them (dashboard/data/access.py).

Without an [auth] section in the secrets the app runs as the operator of this machine, which
`pmqa run` allows on 127.0.0.1 only (or with an explicit --no-auth), and the sidebar says sign-in
is off. With it, nobody sees a number before signing in, and a person the roles file does not name
sees nothing at all.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import streamlit as st

from dashboard.data import access, audit
from dashboard.errors import DataError
from dashboard.views import i18n
from dashboard.views.formatting import markdown_text, scope_text

ROLES_ENV = "PMQA_ROLES"
PERSON = "_person"  # the session's person, in its session state (guard.py reads it too)
# Streamlit's sign-in always comes back to the app's home page: the address the person opened
# (page, its parameters, the language) waits in this cookie, set by the sign-in screen's browser.
LINK_COOKIE = "pmqa_link"
REMEMBER = """<script>
document.cookie = "%s=" + encodeURIComponent(location.pathname + location.search)
  + "; path=/; max-age=900; samesite=lax";
</script>"""
RETURN = """<script>
document.cookie = "%s=; path=/; max-age=0; samesite=lax";
location.replace(%s);
</script>"""


def _tr(key: str, **values) -> str:
    return i18n.t(key, st.session_state.get("lang") or i18n.DEFAULT, **values)


def configured() -> bool:
    """Whether the secrets hold an [auth] section: Streamlit's own switch for st.login."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


@st.cache_resource(max_entries=4, show_spinner=False)
def _roles(path: str, mtime_ns: int) -> access.Roles:
    return access.load_roles(Path(path))  # read again whenever the admin saves the file


def roles() -> access.Roles:
    value = os.environ.get(ROLES_ENV)
    if not value:
        raise DataError("sign-in is configured but no roles file is given (pmqa run --roles FILE)")
    path = Path(value)
    try:
        return _roles(str(path), path.stat().st_mtime_ns if path.exists() else 0)
    except DataError as exc:
        # Anyone who signs in at the provider reads this: the file's name, never the server's folders
        _log(f"the roles file cannot be read: {exc}")
        raise DataError(str(exc).replace(str(path), path.name)) from None


def _log(message: str) -> None:
    """A line for the server's log (the operator's terminal), with what the page leaves out."""
    print(f"pmqa: {message}", file=sys.stderr, flush=True)


def _refuse(message: str, sign_out: bool) -> None:
    st.session_state.pop(PERSON, None)
    st.error(message, icon=":material/lock:")
    if sign_out:
        st.button(_tr("signin.sign_out"), on_click=st.logout, icon=":material/logout:")
    st.stop()


def gate() -> access.Access:
    """The person of this run, or a sign-in screen (and nothing else) until there is one."""
    if not configured():
        if os.environ.get("PMQA_AUTH") == "1":  # `run` found an auth configuration the app cannot read
            _refuse(_tr("signin.misconfigured"), sign_out=False)
        person = access.operator()
        st.session_state[PERSON] = person
        return person
    if not st.user.is_logged_in:
        st.session_state.pop(PERSON, None)
        st.title(_tr("signin.title"))
        st.write(_tr("signin.body"))
        st.button(_tr("signin.button"), on_click=st.login, type="primary", icon=":material/login:")
        st.html(REMEMBER % LINK_COOKIE, unsafe_allow_javascript=True)
        st.stop()
    _back_to_link()
    try:
        table = roles()
    except DataError as exc:
        _refuse(_tr("signin.roles_broken", error=exc), sign_out=True)
    claims = st.user.to_dict()
    person = table.for_claims(claims)  # an unverified address names nobody: only group rules can match
    if person is None:
        email = claims.get("email") if isinstance(claims.get("email"), str) else "?"
        nobody = access.Access(email, "none", access.Scope(), **access.account(claims))
        _record_once("sign-in refused", nobody)
        _refuse(_tr("signin.no_role", email=markdown_text(email)), sign_out=True)
    _record_once("sign-in", person)
    st.session_state[PERSON] = person
    return person


def _back_to_link() -> None:
    """Just signed in: open the address the person asked for before signing in (once: the browser
    forgets it as it goes), before anything is said in a language the link did not ask for."""
    target = _link_asked()
    if target is None:
        return
    lang = parse_qs(urlsplit(target).query).get("lang", [None])[0]
    st.caption(i18n.t("signin.returning", lang if lang in i18n.LANGUAGES else i18n.DEFAULT))
    st.html(RETURN % (LINK_COOKIE, json.dumps(target)), unsafe_allow_javascript=True)
    st.stop()


def _link_asked() -> str | None:
    """The remembered address, if it is a path on this app: never another site's address, which
    anyone could plant in the cookie to send a person who signs in elsewhere."""
    kept = st.context.cookies.get(LINK_COOKIE)
    value = unquote(kept) if isinstance(kept, str) else ""
    parts = urlsplit(value)
    if not value.startswith("/") or value.startswith("//") or "\\" in value or parts.scheme or parts.netloc:
        return None
    return value


@st.cache_resource(show_spinner=False)
def _recorded() -> set:
    return set()


def _record_once(event: str, person: access.Access) -> None:
    """One audit line per sign-in, not per page load: a sign-in is known by its ID token's time
    of issue (iat), which every session opened with the same cookie shares."""
    key = (event, person, st.user.get("iat"))
    seen = _recorded()
    if key not in seen:
        try:
            audit.record(event, person, "app")
        except DataError as exc:  # an unrecorded sign-in lets nobody in, and says so on the page
            _log(str(exc))
            _refuse(_tr("signin.audit_broken"), sign_out=True)
        seen.add(key)


def recordable() -> bool:
    """Whether an action can be written to the audit trail now (the server's log says why not):
    a download asks before it is offered, since it runs where it cannot show an error."""
    try:
        audit.check()
    except DataError as exc:
        _log(str(exc))
        return False
    return True


def person() -> access.Access:
    """This session's person (the entry file's `gate` set it before any page ran)."""
    return st.session_state.get(PERSON) or gate()


def sidebar() -> None:
    """Who is signed in, their role and scope, and a way out; or that sign-in is off."""
    who = person()
    if not configured():
        st.sidebar.caption(_tr("signin.off"))
        return
    box = st.sidebar.container(border=True)
    box.caption(_tr("signin.as", who=markdown_text(who.who), role=_tr(f"role.{who.role}")))
    box.caption(describe_scope(who.scope))
    box.button(_tr("signin.sign_out"), on_click=st.logout, icon=":material/logout:", key="sign_out")


def describe_scope(scope: access.Scope) -> str:
    lang = st.session_state.get("lang") or i18n.DEFAULT
    return markdown_text(scope_text(scope, lang))
