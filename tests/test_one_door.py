"""The house's doors, checked in the code itself: each action's right is checked, and its audit line
written, in one place (dashboard/data/actions.py), whoever asks, the app or the command line."""

from __future__ import annotations

import re

from dashboard.data import access, actions, audit
from tests.conftest import ROOT

PACKAGE = ROOT / "dashboard"


def calls(pattern: str) -> dict[str, int]:
    """Module path -> how many times the pattern occurs in its code (comments left out)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        code = "\n".join(line.split("#")[0] for line in path.read_text(encoding="utf-8").splitlines())
        n = len(re.findall(pattern, code))
        if n:
            found[str(path.relative_to(ROOT))] = n
    return found


def test_audit_lines_are_written_by_the_one_door_and_by_sign_in_only():
    # actions.permit records exports, briefs, imports and restores; sign-in records sign-ins.
    assert calls(r"\baudit\.record\(") == {"dashboard/app/signin.py": 1, "dashboard/data/actions.py": 1}


def test_each_action_is_permitted_at_one_call_site():
    per_action = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for action in re.findall(r"\bpermit\(\s*\"(\w+)\"", path.read_text(encoding="utf-8")):
            per_action.setdefault(action, []).append(str(path.relative_to(ROOT)))
    assert per_action == {
        "export": ["dashboard/views/sections.py"],
        "brief": ["dashboard/outputs/pack.py"],
        "import": ["dashboard/data/actions.py"],
        "restore": ["dashboard/data/actions.py"],
        "history": ["dashboard/data/actions.py"],
    }


def test_roles_are_required_only_by_the_door_and_the_query_layer():
    # The pages may ask `may` to decide what to offer; only these refuse.
    assert calls(r"\.require\(") == {"dashboard/data/access.py": 1, "dashboard/data/actions.py": 1}
    assert calls(r"\.require_query\(") == {"dashboard/data/db.py": 1}


def test_the_door_refuses_before_it_records(tmp_path, monkeypatch):
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(tmp_path))
    viewer = access.Access("v@example.go.th", "viewer", access.EVERYTHING)
    for action in ("export", "import", "restore", "history"):
        try:
            actions.permit(action, viewer, "test")
        except access.AccessDenied as exc:
            assert "v@example.go.th (viewer) may not" in str(exc)
        else:
            raise AssertionError(f"a viewer was let {action}")
    assert audit.read(tmp_path / audit.FILE) == []  # a refusal writes no line
    actions.permit("brief", viewer, "test", format=".pdf")
    actions.permit("history", access.operator(), "test")  # allowed, and reading is not recorded
    assert [(line["event"], line["who"], line["format"]) for line in audit.read(tmp_path / audit.FILE)] == [
        ("brief", "v@example.go.th", ".pdf")
    ]
