"""One identity is one person, and nobody reaches the server's memory or secrets before signing in.

- e-mail addresses match a rule exactly, but for the case of ASCII letters; only a verified address
  counts; the audit trail names the token's subject and issuer (tests/test_signin.py signs in
  through the provider for the same cases);
- the sign-in page and a download say plainly when the audit trail cannot be written, and a person
  whose scope holds no agency is told so (Streamlit's AppTest, with st.user set as a sign-in would);
- `pmqa run` names a sign-in setting that is not text, warns of a secrets file others may read, and
  leaves the PMQA_OIDC_* secrets in no file; the running server (over HTTP, as an attacker would
  reach it) serves no metrics and takes uploads only from a person who may import, within a
  session's share.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest
from websockets.sync.client import connect

from dashboard.app import auth_config
from dashboard.data import access, audit
from dashboard.data.access import Access
from tests.conftest import ROOT, cli
from tests.test_browser import ARTIFACTS, _free_port, _serve

APP = str(ROOT / "dashboard" / "app" / "streamlit_app.py")
MB = 2**20

# --- e-mail addresses (Roles) ---------------------------------------------------------------------

ROLES = """
[[person]]
email = "Admin@Example.org"
role = "admin"
scope = "all"

[[person]]
email = "strasse@example.org"
role = "admin"
scope = "all"

[[person]]
email = "kevin@example.org"
role = "admin"
scope = "all"

[[person]]
email = "josé@example.org"
role = "analyst"
scope = { agency_types = ["province"] }

[[person]]
email = "nobody@example.org"
role = "viewer"
scope = { agencies = [] }

[[group]]
name = "pmqa-viewers"
role = "viewer"
scope = "all"
"""


@pytest.fixture
def roles_file(tmp_path) -> Path:
    path = tmp_path / "roles.toml"
    path.write_text(ROLES, encoding="utf-8")
    return path


def role_of(roles: access.Roles, email: str) -> str | None:
    person = roles.for_person(email)
    return person and person.role


@pytest.mark.parametrize(
    "email",
    [
        "straße@example.org",  # ß case-folds to ss: strasse@'s rule
        "ſtrasse@example.org",  # long s (U+017F) case-folds to s
        "\u212aevin@example.org",  # Kelvin sign (U+212A) case-folds to k
        "kevin@example.org ",  # a space is a character like any other
        "jose\u0301@example.org",  # é written as e + combining accent: not the rule's é
    ],
)
def test_an_address_that_only_folds_to_a_rule_matches_nothing(roles_file, email):
    assert role_of(access.load_roles(roles_file), email) is None


def test_addresses_match_exactly_but_for_the_case_of_ascii_letters(roles_file):
    roles = access.load_roles(roles_file)
    assert role_of(roles, "admin@example.org") == "admin"  # the rule says Admin@Example.org
    assert role_of(roles, "KEVIN@EXAMPLE.ORG") == "admin"
    assert role_of(roles, "STRASSE@example.org") == "admin"
    assert role_of(roles, "josé@example.org") == "analyst"  # named exactly by its rule
    assert role_of(roles, "JOSé@example.org") == "analyst"
    assert roles.for_person("kevin@example.org").who == "kevin@example.org"


# --- email_verified -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "admin@example.org"},
        {"email": "admin@example.org", "email_verified": False},
        {"email": "admin@example.org", "email_verified": "false"},
        {"email": "admin@example.org", "email_verified": "true"},
        {"email": "admin@example.org", "email_verified": 0},
        {"email": "admin@example.org", "email_verified": 1},
        {"email": "admin@example.org", "email_verified": None},
    ],
)
def test_only_the_boolean_true_verifies_an_address(roles_file, claims):
    assert access.verified_email(claims) is None
    assert access.load_roles(roles_file).for_claims(claims) is None
    # a group rule still matches: it does not rest on the address
    viewer = access.load_roles(roles_file).for_claims(claims | {"groups": ["pmqa-viewers"]})
    assert (viewer.role, viewer.scope) == ("viewer", access.EVERYTHING)


def test_a_verified_address_names_its_person_with_the_tokens_account(roles_file):
    claims = {"email": "admin@example.org", "email_verified": True, "sub": "u-17", "iss": "https://id.example.go.th"}
    person = access.load_roles(roles_file).for_claims(claims)
    assert person == Access("admin@example.org", "admin", access.EVERYTHING, "u-17", "https://id.example.go.th")


def test_audit_lines_carry_the_accounts_subject_and_issuer(tmp_path, monkeypatch):
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(tmp_path))
    audit.record("export", Access("a@example.org", "analyst", access.EVERYTHING, "u-17", "https://id.example"), "app")
    audit.record("export", access.operator(), "cli")
    signed_in, operator = audit.read(tmp_path / audit.FILE)
    assert (signed_in["who"], signed_in["sub"], signed_in["iss"]) == ("a@example.org", "u-17", "https://id.example")
    assert "sub" not in operator and "iss" not in operator  # the command line has no token


# --- the app at sign-in (AppTest, st.user as the provider's token would give it) -------------------

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "c" * 40,
    "client_id": "pmqa",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def signed_in(page: str | None, email: str, roles: Path, audit_dir: Path, monkeypatch) -> AppTest:
    monkeypatch.delenv("PMQA_DATA", raising=False)
    monkeypatch.setenv("PMQA_ROLES", str(roles))
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(audit_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = AUTH
    claims = {"email": email, "email_verified": True, "sub": f"sub-{uuid.uuid4()}", "iss": "http://idp", "iat": 1}
    at.user = {"is_logged_in": True, **claims}
    if page:
        at.switch_page(f"app_pages/{page}.py")
    at.query_params["lang"] = "en"
    return at.run()


def texts(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "info", "warning", "error", "caption") for e in at.get(kind))


@pytest.mark.browser  # AppTest
def test_a_scope_that_holds_no_agency_is_named_as_such(roles_file, tmp_path, monkeypatch):
    at = signed_in(None, "nobody@example.org", roles_file, tmp_path / "audit", monkeypatch)
    assert not at.exception
    assert [e.value for e in at.info] == [
        "Your access covers no agency of this data, so there is nothing to show. "
        "Ask the administrator to check your scope in the roles file."
    ]
    assert "one year only" not in texts(at) and not at.metric


@pytest.mark.browser  # AppTest
def test_a_sign_in_that_cannot_be_recorded_lets_nobody_in_and_says_so(roles_file, tmp_path, monkeypatch):
    blocked = tmp_path / "audit"
    blocked.write_text("a file where the audit folder should be")
    at = signed_in(None, "admin@example.org", roles_file, blocked, monkeypatch)
    assert not at.exception  # not Streamlit's error page
    assert [e.value for e in at.error] == [
        "Your sign-in cannot be written to the audit trail, so nobody is let in. "
        "The administrator can see why in the server's log."
    ]
    assert not at.metric and not at.get("plotly_chart")


@pytest.mark.browser  # AppTest
def test_a_broken_roles_file_is_named_without_the_servers_folders(roles_file, tmp_path, monkeypatch):
    roles_file.write_text('[[person]]\nemail = "a@b"\nrole = "owner"\nscope = "all"\n', encoding="utf-8")
    at = signed_in(None, "admin@example.org", roles_file, tmp_path / "audit", monkeypatch)
    [message] = [e.value for e in at.error]
    assert message.startswith("The roles file cannot be read, so nobody is let in: roles.toml: person[0]: role must be")
    assert str(tmp_path) not in message and "/" not in message.split("in: ")[1]


@pytest.mark.browser  # AppTest
def test_downloads_that_cannot_be_recorded_are_not_offered_and_the_page_says_why(tmp_path, monkeypatch):
    blocked = tmp_path / "audit"
    blocked.write_text("a file where the audit folder should be")
    monkeypatch.delenv("PMQA_DATA", raising=False)
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(blocked))
    at = AppTest.from_file(APP, default_timeout=120)  # sign-in off: the operator, who may export
    at.switch_page("app_pages/explore.py")
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Downloads are off: they cannot be written to the audit trail. "
        "The administrator can see why in the server's log."
    ]
    assert not at.get("download_button")
    assert blocked.read_text() == "a file where the audit folder should be"


# --- pmqa run: the sign-in settings ---------------------------------------------------------------


def write_secrets(path: Path, mode: int = 0o600, **over) -> Path:
    auth = {key: f'"{value}"' for key, value in AUTH.items()} | over
    path.write_text("[auth]\n" + "".join(f"{k} = {v}\n" for k, v in auth.items()), encoding="utf-8")
    path.chmod(mode)
    return path


def test_a_setting_that_is_not_text_is_named(tiny_dir, tmp_path):
    secrets = write_secrets(tmp_path / "secrets.toml", redirect_uri="5")
    done = cli("run", "--auth", secrets, "--roles", tmp_path / "none.toml", "--data", tiny_dir)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f'error: {secrets}: [auth] redirect_uri must be text in quotes (redirect_uri = "…"), not 5'
    )


def test_a_secrets_file_others_may_read_is_warned_of(tiny_dir, tmp_path):
    exposed = write_secrets(tmp_path / "exposed.toml", mode=0o644)
    private = write_secrets(tmp_path / "private.toml", mode=0o600)
    # no roles file: run stops before starting a server, after looking at the secrets
    done = cli("run", "--auth", exposed, "--data", tiny_dir)
    assert done.returncode == 1 and "no roles file" in done.stderr
    assert f"warning: {exposed} can be read by other users of this machine (mode 644)" in done.stderr
    assert "warning" not in cli("run", "--auth", private, "--data", tiny_dir).stderr


# --- the running server, over HTTP --------------------------------------------------------------


def start_app(*args, env: dict | None = None, log: str = "server_identity.log") -> tuple:
    """`pmqa run` on a free port, as a subprocess; returns it and its address once it answers."""
    port = _free_port()
    env = {k: v for k, v in (env or os.environ).items() if k != "PMQA_DATA"}
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "run", "--port", str(port), *map(str, args)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return server, _serve(server, f"http://127.0.0.1:{port}")


@contextmanager
def session(url: str, query: str = "lang=en"):
    """A Streamlit session opened the way the page's script opens one (a websocket, then a run of
    the app): yields its id and the messages its run sent. The session lasts as long as the block."""
    with connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"]) as ws:
        rerun = BackMsg()
        rerun.rerun_script.query_string = query
        ws.send(rerun.SerializeToString())
        session_id, sent = None, []
        while True:
            raw = ws.recv(timeout=120)
            sent.append(raw)
            message = ForwardMsg()
            message.ParseFromString(raw)
            if message.WhichOneof("type") == "new_session":
                session_id = message.new_session.initialize.session_id
            if message.WhichOneof("type") == "script_finished":
                break
        yield session_id, b"".join(sent)


def _xsrf(url: str) -> str:
    """The XSRF cookie any client gets from the server (it guards a browser's cookies, not the server)."""
    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=60)
    connection.request("GET", "/_stcore/health")
    response = connection.getresponse()
    response.read()
    cookie = next(v for k, v in response.getheaders() if k.lower() == "set-cookie" and "_streamlit_xsrf=" in v)
    return cookie.split(";")[0].split("=", 1)[1]


def upload(url: str, session_id: str, size: int) -> tuple[int, str]:
    """PUT a file of `size` bytes into a session, as the file uploader does: the status and text."""
    token = _xsrf(url)
    boundary = "pmqa-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="results.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + b"a" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=120)
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "X-Xsrftoken": token,
        "Cookie": f"_streamlit_xsrf={token}",
    }
    connection.request("PUT", f"/_stcore/upload_file/{session_id}/{uuid.uuid4()}", body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    return response.status, text


def status_of(url: str, path: str) -> int:
    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


@pytest.fixture(scope="module")
def open_app(tiny_dir):
    """The app without sign-in (the operator's, on 127.0.0.1): its address and its process."""
    server, serving = start_app("--data", tiny_dir)
    for url in serving:
        yield url, psutil.Process(server.pid)


@pytest.mark.browser  # the app's server
def test_the_metrics_endpoint_is_not_served(open_app):
    url, _ = open_app
    assert status_of(url, "/_stcore/metrics") == 404
    assert status_of(url, "/_stcore/metrics?families=session_events_total") == 404
    assert status_of(url, "/_stcore/health") == 200


@pytest.mark.browser  # the app's server
def test_a_session_holds_a_bounded_share_of_uploads(open_app):
    url, _ = open_app
    with session(url) as (session_id, _):
        # 30 MB each: three fit in a session's 100 MB, a fourth does not
        assert [upload(url, session_id, 30 * MB)[0] for _ in range(4)] == [204, 204, 204, 413]
        assert upload(url, session_id, 1_000)[0] == 204  # the fourth file: 90 MB and 1 KB held
        status, text = upload(url, session_id, 1_000)  # a fifth file, however small
        assert (status, text) == (
            413,
            "One session holds at most 4 files, 100 MB in all: reload the page to start again.",
        )
    with session(url) as (session_id, _):
        assert upload(url, session_id, 51 * MB)[0] == 413  # server.maxUploadSize: 50 MB a file
    assert upload(url, "not-a-session", 10)[0] == 403


@pytest.mark.browser  # the app's server
def test_uploads_do_not_fill_the_servers_memory(open_app):
    url, server = open_app
    with session(url) as (session_id, _):
        before = server.memory_info().rss
        for _ in range(8):  # 240 MB offered, in a bounded loop
            upload(url, session_id, 30 * MB)
        grown = server.memory_info().rss - before
    assert grown < 100 * MB + 40 * MB, f"the server grew by {grown / MB:.0f} MB"  # a session's share, and some


@pytest.mark.browser  # the app's server
def test_secrets_from_the_environment_are_left_in_no_file(tmp_path, tiny_dir):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    (tmp_path / "roles.toml").write_text(ROLES, encoding="utf-8")
    secret = f"client-secret-{uuid.uuid4()}"
    env = os.environ | {name: AUTH[key] for key, name in auth_config.ENV.items()}
    env |= {"PMQA_OIDC_CLIENT_SECRET": secret, "TMPDIR": str(scratch)}
    args = ["--data", tiny_dir, "--roles", tmp_path / "roles.toml", "--audit-dir", tmp_path / "audit"]
    server, serving = start_app(*args, env=env, log="server_env.log")
    try:
        with session(next(serving)) as (_, sent):
            assert b"PMQA 4.0 Results: sign in" in sent  # Streamlit has the [auth] settings: sign-in is on
        holding = [p for p in scratch.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
        assert not list(scratch.glob("pmqa-auth-*")) and not holding
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    assert not list(scratch.glob("pmqa-auth-*"))  # and after it stopped
