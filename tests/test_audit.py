"""The audit trail and what `pmqa run` refuses before it starts an app nobody should reach."""

from __future__ import annotations

import json
import stat

import pytest

from dashboard.data import audit
from dashboard.errors import DataError
from tests.conftest import cli, folder_checksum, write_tiny_store


def _log(folder) -> list[dict]:
    return audit.read(folder / audit.FILE)


def test_an_export_is_recorded_with_who_and_the_selection(tiny_dir, tmp_path, monkeypatch):
    logs = tmp_path / "audit"
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(logs))
    done = cli("export", "--out", tmp_path / "t.csv", "--year", 2565, "--data", tiny_dir)
    assert done.returncode == 0, done.stderr
    [line] = _log(logs)
    assert (line["event"], line["via"], line["role"], line["level"], line["out"]) == (
        "export",
        "cli",
        "admin",
        "agency",
        "t.csv",
    )
    assert line["filters"]["years"] == [2565] and line["scope"]["everything"] is True
    assert line["who"] and line["time"].endswith("+00:00")
    assert stat.S_IMODE((logs / audit.FILE).stat().st_mode) == 0o600


def test_imports_and_restores_are_recorded(tmp_path, monkeypatch):
    logs = tmp_path / "audit"
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(logs))
    store = write_tiny_store(tmp_path / "store")
    done = cli("restore", "--data", store, "--version", 0)
    assert done.returncode == 1  # version 0 is already current: refused, but it was asked for
    extra = tmp_path / "more.csv"
    extra.write_text(
        "fiscal_year,agency_code,agency_name_th,agency_name_en,agency_type,agency_group_th,agency_group_en,"
        "category,criterion,score,max_score\n2566,A1,กรม,Dept,department,กระทรวง,,1,1.1,5,10\n",
        encoding="utf-8",
    )
    assert cli("import", extra, "--data", store).returncode == 0
    events = [(line["event"], line.get("version"), line.get("years")) for line in _log(logs)]
    assert events == [("restore", 0, None), ("import", None, [2566])]


def test_an_action_that_cannot_be_recorded_does_not_happen(tiny_dir, tmp_path, monkeypatch):
    blocked = tmp_path / "not_a_folder"
    blocked.write_text("a file where the audit folder should be")
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(blocked))
    out = tmp_path / "t.csv"
    done = cli("export", "--out", out, "--data", tiny_dir)
    assert done.returncode == 1
    assert "cannot write the audit log" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_lines_from_many_writers_never_interleave(tmp_path, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from dashboard.data import access

    monkeypatch.setenv("PMQA_AUDIT_DIR", str(tmp_path))
    who = access.operator()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: audit.record("export", who, "test", n=i, pad="ก" * 3000), range(200)))
    lines = (tmp_path / audit.FILE).read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["n"] for line in lines) == list(range(200))


# --- pmqa run: refused before any server starts ------------------------------------------------


def test_run_refuses_another_address_without_sign_in(tiny_dir):
    done = cli("run", "--address", "0.0.0.0", "--port", "1", "--data", tiny_dir)
    assert done.returncode == 1
    assert "without sign-in" in done.stderr and "--no-auth" in done.stderr and "Traceback" not in done.stderr


def _secrets(tmp_path, name="secrets.toml", **over) -> str:
    auth = {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "x" * 40,
        "client_id": "pmqa",
        "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    } | over
    path = tmp_path / name
    path.write_text("[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in auth.items() if v is not None))
    return str(path)


def test_run_refuses_sign_in_settings_it_cannot_use(tiny_dir, tmp_path):
    cases = [
        (_secrets(tmp_path, "a.toml", client_secret=None), "needs client_secret"),
        (_secrets(tmp_path, "b.toml", redirect_uri="http://127.0.0.1:8501/"), "must end with /oauth2callback"),
        (_secrets(tmp_path, "c.toml", cookie_secret="short"), "cookie_secret must be at least 32"),
    ]
    for path, message in cases:
        done = cli("run", "--auth", path, "--roles", tmp_path / "none.toml", "--data", tiny_dir)
        assert done.returncode == 1 and message in done.stderr, done.stderr


def test_run_with_sign_in_needs_a_readable_roles_file(tiny_dir, tmp_path):
    secrets = _secrets(tmp_path)
    done = cli("run", "--auth", secrets, "--data", tiny_dir)
    assert done.returncode == 1 and "no roles file" in done.stderr
    broken = tmp_path / "roles.toml"
    broken.write_text('[[person]]\nemail = "a@b"\nrole = "owner"\nscope = "all"\n')
    before = folder_checksum(tmp_path)
    done = cli("run", "--auth", secrets, "--roles", broken, "--data", tiny_dir)
    assert done.returncode == 1 and "role must be one of" in done.stderr
    assert folder_checksum(tmp_path) == before


def test_the_command_line_says_it_is_for_the_operator():
    assert "operator" in cli("--help").stdout


def test_sign_in_settings_from_the_environment_are_checked_and_kept_in_no_file(monkeypatch):
    from dashboard.app import auth_config

    values = {
        "PMQA_OIDC_REDIRECT_URI": "https://pmqa.example.go.th/oauth2callback",
        "PMQA_OIDC_COOKIE_SECRET": "c" * 40,
        "PMQA_OIDC_CLIENT_ID": "pmqa",
        "PMQA_OIDC_CLIENT_SECRET": 'with "quotes" and \\ a backslash',
        "PMQA_OIDC_METADATA_URL": "https://id.example.go.th/.well-known/openid-configuration",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    # the launcher hands them to Streamlit as they are (tests/test_identity.py: no file holds them)
    assert auth_config.find(None) == auth_config.ENVIRONMENT
    auth = auth_config.environment_secrets()["auth"]
    assert auth["client_secret"] == 'with "quotes" and \\ a backslash' and auth["client_id"] == "pmqa"
    monkeypatch.setenv("PMQA_OIDC_REDIRECT_URI", "https://pmqa.example.go.th/")
    with pytest.raises(DataError, match="PMQA_OIDC_REDIRECT_URI must end with /oauth2callback"):
        auth_config.find(None)
    monkeypatch.delenv("PMQA_OIDC_CLIENT_SECRET")
    with pytest.raises(DataError, match="needs PMQA_OIDC_CLIENT_SECRET"):
        auth_config.find(None)
