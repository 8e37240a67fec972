"""Links are codes: read into widget state with every value checked, written back the same way."""

from __future__ import annotations

from dashboard.views import links


def test_a_typed_link_becomes_widget_state():
    raw = {"lang": ["en"], "base": ["2566"], "compare": ["2568"], "agency": ["D010"], "types": ["province"]}
    valid = {"lang": ["th", "en"], "base": [2566, 2568], "compare": [2566, 2568], "types": ["department", "province"]}
    state, rejected = links.read(raw, links.spec("agency"), valid)
    assert state == {"lang": "en", "base": 2566, "compare": 2568, "agency": "D010", "types": ["province"]}
    assert rejected == []


def test_values_that_do_not_exist_are_reported_not_dropped_silently():
    raw = {"base": ["2400"], "compare": ["2565 (2022)"], "cats": ["7", "9", "x", "7"], "like": ["maybe"]}
    valid = {"base": [2564, 2565], "compare": [2564, 2565], "cats": range(1, 8)}
    state, rejected = links.read(raw, links.spec("explore") | links.PAGES["overview"], valid)
    assert state == {"cats": [7]}  # repeated 7 kept once
    assert rejected == [("base", "2400"), ("compare", "2565 (2022)"), ("cats", "9"), ("cats", "x"), ("like", "maybe")]


def test_a_page_reads_only_its_own_parameters():
    state, rejected = links.read({"threshold": ["40"], "agency": ["A1"]}, links.spec("strengths"), {})
    assert state == {"threshold": 40} and rejected == []


def test_the_written_link_holds_codes_and_leaves_out_empty_choices():
    state = {"lang": "th", "base": 2564, "compare": 2565, "types": [], "agencies": ["A1", "P1"], "cats": [7]}
    state |= {"years": None, "level": "criterion", "like": False}
    assert links.write(state, links.spec("explore")) == {
        "lang": "th",
        "base": "2564",
        "compare": "2565",
        "level": "criterion",
        "cats": ["7"],
        "agency": ["A1", "P1"],
    }
    assert links.write({"trend_like": True}, links.spec("trends")) == {"like": "true"}


def test_writing_then_reading_gives_the_same_state():
    state = {"lang": "en", "base": 2561, "compare": 2563, "agency": "D010", "peers": "type", "mover_cat": 4}
    assert links.read(_as_raw(links.write(state, links.spec("agency"))), links.spec("agency"), {})[0] == state


def test_a_base_year_later_than_the_compare_year_is_read_earlier_first():
    """Issue 19, point 2: the same two years, the earlier as the base, and the pair as asked."""
    state = {"base": 2565, "compare": 2561, "agency": "D010"}
    assert links.order_years(state) == (2565, 2561)
    assert state == {"base": 2561, "compare": 2565, "agency": "D010"}
    for ordered in ({"base": 2561, "compare": 2565}, {"base": 2565, "compare": 2565}, {"base": 2565}, {}):
        kept = dict(ordered)
        assert links.order_years(kept) is None and kept == ordered


def _as_raw(link: dict) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in link.items()}
