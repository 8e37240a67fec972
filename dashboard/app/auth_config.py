"""Where `pmqa run` finds the sign-in settings, checked before the app starts (no Streamlit here).

Streamlit's st.login reads an [auth] section from its secrets: `redirect_uri`, `cookie_secret`,
`client_id`, `client_secret` and `server_metadata_url` (the provider's OpenID Connect discovery
document). They come, first found wins, from:
1. `pmqa run --auth FILE` (a TOML file with that section);
2. the variables PMQA_OIDC_REDIRECT_URI, PMQA_OIDC_COOKIE_SECRET, PMQA_OIDC_CLIENT_ID,
   PMQA_OIDC_CLIENT_SECRET and PMQA_OIDC_METADATA_URL (written to a private file for Streamlit);
3. `.streamlit/secrets.toml` in the project folder or the home folder, where Streamlit looks.
"""

from __future__ import annotations

import ipaddress
import json
import os
import tempfile
import tomllib
from pathlib import Path
from typing import NoReturn

from dashboard.errors import DataError

ROOT = Path(__file__).resolve().parents[2]
ENV = {
    "redirect_uri": "PMQA_OIDC_REDIRECT_URI",
    "cookie_secret": "PMQA_OIDC_COOKIE_SECRET",
    "client_id": "PMQA_OIDC_CLIENT_ID",
    "client_secret": "PMQA_OIDC_CLIENT_SECRET",
    "server_metadata_url": "PMQA_OIDC_METADATA_URL",
}
MIN_COOKIE_SECRET = 32  # characters: the cookie that says who is signed in is signed with it


def is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def find(explicit: str | None) -> Path | None:
    """The checked secrets file that turns sign-in on, or None when nothing configures it."""
    if explicit:
        return check(Path(explicit))
    if any(os.environ.get(name) for name in ENV.values()):
        return _from_environment()
    for default in (ROOT / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"):
        if default.is_file() and "auth" in _read(default):
            return check(default)
    return None


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable TOML file ({exc})") from None


def check(path: Path) -> Path:
    """Refuse, naming the setting, a file st.login could not use."""
    auth = _read(path).get("auth")
    if not isinstance(auth, dict):
        raise DataError(f"{path}: no [auth] section")
    missing = [key for key in ENV if not str(auth.get(key) or "").strip()]
    if missing:
        raise DataError(f"{path}: [auth] needs {', '.join(missing)}")
    if not auth["redirect_uri"].endswith("/oauth2callback"):
        raise DataError(f"{path}: [auth] redirect_uri must end with /oauth2callback (the app's address + that path)")
    if len(auth["cookie_secret"]) < MIN_COOKIE_SECRET:
        raise DataError(f"{path}: [auth] cookie_secret must be at least {MIN_COOKIE_SECRET} random characters")
    return path.resolve()


def _from_environment() -> Path:
    missing = [name for name in ENV.values() if not os.environ.get(name)]
    if missing:
        raise DataError(f"sign-in from the environment needs {', '.join(missing)} too")
    lines = ["[auth]"] + [f"{key} = {_toml_string(os.environ[name])}" for key, name in ENV.items()]
    folder = Path(tempfile.mkdtemp(prefix="pmqa-auth-"))  # only this user may read it (0700)
    path = folder / "secrets.toml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    return check(path)


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def need_roles() -> NoReturn:
    raise DataError("sign-in is on but no roles file is given: add --roles FILE (or set PMQA_ROLES); see the README")
