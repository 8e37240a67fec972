"""Every sentence the importer can refuse a file with, or list a problem with, has its words in both
languages (issue 19, point 10): the Import page says a code through the locales, and a code without
a sentence there would stop the page. The codes are read from the importer's source, where it names them."""

from __future__ import annotations

import ast
import inspect
import string

from dashboard.data import importer
from dashboard.views import i18n

# The call, the position of its code among the positional arguments, and the locale's prefix.
CALLS = {
    "_refused": (2, "import.refused"),
    "DataError": (1, "import.refused"),
    "_over": (4, "import.refused"),
    "_check_bytes": (5, "import.refused"),
    "ImportProblem": (2, "import.problem"),
}


def _named(call: ast.Call) -> str:
    return getattr(call.func, "id", getattr(call.func, "attr", ""))


def codes_in_the_importer() -> set[str]:
    """(prefix.code) for every code written as a constant, and the defaults of _over and _check_bytes."""
    found = set()
    for node in ast.walk(ast.parse(inspect.getsource(importer))):
        if isinstance(node, ast.FunctionDef) and node.name in CALLS:
            for arg, default in zip(node.args.args[::-1], node.args.defaults[::-1], strict=False):
                if arg.arg == "code" and isinstance(default, ast.Constant) and default.value:
                    found.add(f"{CALLS[node.name][1]}.{default.value}")
        if not (isinstance(node, ast.Call) and _named(node) in CALLS):
            continue
        at, prefix = CALLS[_named(node)]
        given = [k.value for k in node.keywords if k.arg == "code"] + node.args[at : at + 1]
        found |= {f"{prefix}.{g.value}" for g in given if isinstance(g, ast.Constant) and g.value}
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_code_the_importer_gives_has_its_sentence_in_both_languages():
    keys = codes_in_the_importer()
    # the refusals of a whole file and the column problems the Thai page said in English
    named = {"not_xlsx", "file_over", "declares_over", "over_limit", "not_text", "not_parquet", "csv_row"}
    assert {f"import.refused.{c}" for c in named} <= keys
    assert {"import.problem.no_agency_code_column", "import.problem.no_layout", "import.problem.no_data"} <= keys
    for key in sorted(keys):
        th, en = i18n.t(key, "th"), i18n.t(key, "en")  # a key missing from a locale raises here
        assert th != en and fields(th) == fields(en), key
