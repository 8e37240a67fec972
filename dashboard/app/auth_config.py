"""Where `pmqa run` finds the sign-in settings, checked before the app starts (no Streamlit here).

Streamlit's st.login reads an [auth] section from its secrets: `redirect_uri`, `cookie_secret`,
`client_id`, `client_secret` and `server_metadata_url` (the provider's OpenID Connect discovery
document). They come, first found wins, from:
1. `pmqa run --auth FILE` (a TOML file with that section);
2. the variables PMQA_OIDC_REDIRECT_URI, PMQA_OIDC_COOKIE_SECRET, PMQA_OIDC_CLIENT_ID,
   PMQA_OIDC_CLIENT_SECRET and PMQA_OIDC_METADATA_URL (handed to Streamlit by the app's launcher,
   launch.py, never written to a file);
3. `.streamlit/secrets.toml` in the project folder or the home folder, where Streamlit looks.
"""

from __future__ import annotations

import ipaddress
import os
import stat
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
ENVIRONMENT = "the PMQA_OIDC_* variables"  # what `find` answers when they configure sign-in


def is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def find(explicit: str | None) -> Path | str | None:
    """What turns sign-in on, checked: a secrets file, ENVIRONMENT, or None when nothing does."""
    if explicit:
        return check(Path(explicit))
    if any(os.environ.get(name) for name in ENV.values()):
        environment_secrets()
        return ENVIRONMENT
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
    missing = [key for key in ENV if auth.get(key) in (None, "")]
    if missing:
        raise DataError(f"{path}: [auth] needs {', '.join(missing)}")
    _check(auth, lambda key: f"{path}: [auth] {key}")
    return path.resolve()


def _check(auth: dict, name) -> None:
    """Refuse settings st.login could not use; `name(key)` says where the setting is written."""
    for key in ENV:
        if not isinstance(auth[key], str) or not auth[key].strip():
            raise DataError(f'{name(key)} must be text in quotes ({key} = "…"), not {repr(auth[key])[:40]}')
    if not auth["redirect_uri"].endswith("/oauth2callback"):
        raise DataError(f"{name('redirect_uri')} must end with /oauth2callback (the app's address + that path)")
    if len(auth["cookie_secret"]) < MIN_COOKIE_SECRET:
        raise DataError(f"{name('cookie_secret')} must be at least {MIN_COOKIE_SECRET} random characters")


def environment_secrets() -> dict:
    """The [auth] section the PMQA_OIDC_* variables give, checked: what the launcher hands to
    Streamlit (st.App's secrets), so the client secret is never written to a file."""
    missing = [name for name in ENV.values() if not os.environ.get(name)]
    if missing:
        raise DataError(f"sign-in from the environment needs {', '.join(missing)} too")
    auth = {key: os.environ[name] for key, name in ENV.items()}
    _check(auth, ENV.get)
    return {"auth": auth}


def exposed(path: Path) -> str | None:
    """A warning when users other than the owner may read a secrets file (it holds the client
    secret and the key that signs who is signed in); None when only its owner may."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & 0o077:
        return None
    return (
        f"warning: {path} can be read by other users of this machine (mode {mode:o}); "
        f"it holds the client secret and cookie key: chmod 600 {path}"
    )


def need_roles() -> NoReturn:
    raise DataError("sign-in is on but no roles file is given: add --roles FILE (or set PMQA_ROLES); see the README")
