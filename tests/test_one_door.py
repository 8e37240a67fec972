"""The house's doors, checked in the code itself: each action's right is checked, and its audit line
written, in one place (dashboard/data/actions.py), whoever asks, the app or the command line."""

from __future__ import annotations

import ast
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
        "export": ["dashboard/views/sections/explore.py"],
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


# --- one door for numbers: page → views section → named query → SQL ---------------------------------

APP = PACKAGE / "app"
PAGES = sorted((APP / "app_pages").glob("*.py"))


def imported_modules(path) -> set[str]:
    """Every module a file imports, `from X import y` counted as X.y too (a module or a name in X)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_the_pages_exist_where_these_checks_look():
    assert {p.stem for p in PAGES} >= {"overview", "trends", "strengths", "agency", "explore", "quality"}


def test_no_page_imports_the_data_layer():
    reaching = {
        p.name: sorted(m for m in imported_modules(p) if m == "dashboard.data" or m.startswith("dashboard.data."))
        for p in PAGES
    }
    assert {page: found for page, found in reaching.items() if found} == {}


def test_no_module_of_the_app_is_over_250_lines():
    lengths = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in APP.rglob("*.py")}
    assert len(lengths) > 10  # the entry file, the pages and the app's modules were all read
    assert {path: n for path, n in lengths.items() if n > 250} == {}


def test_pages_run_no_named_query_themselves():
    direct = calls(r"\.(query|records|window)\(")
    assert {path: n for path, n in direct.items() if path.startswith("dashboard/app/app_pages/")} == {}


def test_the_app_caches_sections_not_queries():
    # Every cached number is a views section's (dashboard/app/cache.py), so the app holds no query call.
    assert {
        path: n for path, n in calls(r"\.(query|records|window)\(").items() if path.startswith("dashboard/app/")
    } == {}


def test_the_comparability_warning_is_worded_in_one_place():
    # Its two wordings (the pages' and the brief's; the command line's note) are chosen there only.
    assert set(calls(r"compare\.(warning|note)")) == {"dashboard/views/sections/compare.py"}
    assert calls(r"compare with care|\[:8\]") == {}  # no other copy of its words, or of its list of 8


def test_the_outputs_and_the_command_line_take_their_numbers_from_the_views():
    # The brief, the exports and `pmqa` run no named query themselves: page → section → query → SQL.
    ran = calls(r"\b(store|data)\.(query|records|window)\(")
    assert not [p for p in ran if p.startswith(("dashboard/outputs/", "dashboard/cli.py", "dashboard/app/"))]
