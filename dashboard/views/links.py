"""Links made of codes: what a view's address holds, read and written without Streamlit.

`/agency?lang=en&base=2566&compare=2568&agency=D010` names a view in any language: years are B.E.,
agency types and categories are codes, agencies are agency codes. Streamlit's bound widgets write
their displayed text instead ("2565 (2022)", "English"), which a person cannot type and which
changes with the language; so the app reads a link into its widgets' state once, when a session
opens, and writes the state back as codes after every run.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Param:
    key: str  # the widget's key in Streamlit's session state
    kind: type = str  # str, int or bool
    many: bool = False  # repeated in the link (?agency=A&agency=B)


SHARED = {
    "lang": Param("lang"),
    "base": Param("base", int),
    "compare": Param("compare", int),
    "types": Param("types", many=True),
    "groups": Param("groups", many=True),
}
PAGES = {
    "overview": {"like": Param("like", bool), "threshold": Param("threshold", int)},  # the brief's threshold
    "trends": {"like": Param("trend_like", bool)},
    "strengths": {"threshold": Param("threshold", int), "cat": Param("focus_cat", int)},
    "agency": {"agency": Param("agency"), "peers": Param("peers"), "cat": Param("mover_cat", int)},
    "criteria": {
        "threshold": Param("threshold", int),  # Strengths' threshold: the same key, the same value
        "cat": Param("crit_cat", int),
        "flag": Param("crit_flags", many=True),
        "criterion": Param("criterion"),
    },
    # an edited proposal as its file's JSON (an uploaded one cannot be in a link: the page names it)
    "scenarios": {"a": Param("scn_a"), "b": Param("scn_b")},
    "explore": {
        "level": Param("level"),
        "years": Param("years", int, many=True),
        "cats": Param("cats", int, many=True),
        "agency": Param("agencies", many=True),
    },
}


def spec(page: str) -> dict[str, Param]:
    """The parameters a page's link may hold: the shared ones and the page's own."""
    return SHARED | PAGES.get(page, {})


def _convert(text: str, kind: type):
    if kind is int:
        return int(text) if text.isascii() and text.isdigit() else None
    if kind is bool:
        return {"true": True, "false": False}.get(text.lower())
    return text


def read(
    raw: Mapping[str, list[str]], params: Mapping[str, Param], valid: Mapping[str, Collection]
) -> tuple[dict, list[tuple[str, str]]]:
    """The widget state a link asks for, and the (name, value) pairs it cannot have. A value is
    kept when it converts to its kind and is one of `valid[name]` (when the name has a list)."""
    state, rejected = {}, []
    for name, param in params.items():
        kept = []
        for text in raw.get(name, []):
            value = _convert(text, param.kind)
            if value is None or (name in valid and value not in valid[name]):
                rejected.append((name, text))
            elif value not in kept:
                kept.append(value)
        if kept:
            state[param.key] = kept if param.many else kept[0]
    return state, rejected


def order_years(state: dict) -> tuple[int, int] | None:
    """A link's base year later than its compare year: the two swapped in `state`, earlier first (the
    same two years; read backwards, every rise is a fall), and the pair as the link asked for it."""
    base, compare = state.get(SHARED["base"].key), state.get(SHARED["compare"].key)
    if base is None or compare is None or base <= compare:
        return None
    state[SHARED["base"].key], state[SHARED["compare"].key] = compare, base
    return base, compare


def write(state: Mapping, params: Mapping[str, Param]) -> dict[str, str | list[str]]:
    """The link for a widget state: codes only; empty choices and switches that are off left out."""
    out = {}
    for name, param in params.items():
        value = state.get(param.key)
        if value is None or value is False or (param.many and not value):
            continue
        values = list(value) if param.many else [value]
        texts = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
        out[name] = texts if param.many else texts[0]
    return out
