"""Counts a person reads on the Overview keep their thousands separator (issue 19, point 9: "8000
หน่วยงาน"). The sample has 255 agencies, so no count there reaches four digits; this folder is bench's
generator at 2,345 agencies in 2564 and 2565 (every agency both years), so the compare year's count
is 2,345 by construction, and any other count of four digits (a level holds over 1,000 of them) must
carry its comma."""

from __future__ import annotations

import re

import pytest

from bench.__main__ import write_large
from dashboard.views import i18n
from tests.test_app import open_page

pytestmark = pytest.mark.browser  # the app in AppTest
AGENCIES = 2_345  # so that a level holds over 1,000 of them too (พื้นฐาน: about 55%)
YEARS = {"2564", "2565", "2021", "2022"}  # B.E. and C.E.: four digits, never a count


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    folder = tmp_path_factory.mktemp("counts")
    write_large(folder, AGENCIES, 2)
    return folder


def readable(at) -> list[str]:
    """Every text the Overview shows a person: cards (label, value, change, help), sentences,
    captions, notices, and the tables under the charts."""
    shown = [str(part) for m in at.metric for part in (m.label, m.value, m.delta, m.help) if part]
    shown += [str(e.value) for kind in ("markdown", "caption", "info", "warning", "error") for e in at.get(kind)]
    for table in [*at.table, *at.dataframe]:
        frame = table.value
        shown += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    return shown


@pytest.mark.parametrize("lang", ["th", "en"])
def test_overview_counts_have_their_separator(large, monkeypatch, lang):
    at = open_page("overview", large, monkeypatch, lang=lang, base="2564", compare="2565")
    assert not at.exception
    cards = {m.label: m.value for m in at.metric}
    assert cards[i18n.t("kpi.agencies", lang, year=i18n.year_label(2565, lang))] == "2,345"
    bare = {
        number
        for text in readable(at)
        for number in re.findall(r"(?<![\d,.:-])\d{4,}(?![\d,:-])", text)  # a date's year is no count
        if number not in YEARS
    }
    assert not bare, f"counts without a separator: {sorted(bare)}"


@pytest.mark.parametrize(
    ("lang", "said"), [("th", "16,415 แถว · 2,345 หน่วยงาน"), ("en", "16,415 rows · 2,345 agencies")]
)
def test_explores_count_of_agencies_has_its_separator(large, monkeypatch, lang, said):
    """Where "8000 หน่วยงาน" was seen: Explore's line over its table. By agency and category, 2565:
    2,345 agencies × 7 categories = 16,415 rows."""
    at = open_page("explore", large, monkeypatch, lang=lang, years="2565")
    assert said in [c.value for c in at.caption]
