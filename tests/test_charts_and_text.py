"""Chart builders and the generated summary are pure: tested without Streamlit."""

from __future__ import annotations

import re

import pytest

from dashboard.data import db
from dashboard.outputs import charts
from dashboard.views import i18n, narrative
from tests.conftest import ROOT


def summary(delta=2.8, strongest=(1, 4, 6), weakest=7, like=False):
    return {
        "base_year": 2564,
        "compare_year": 2565,
        "like_for_like": like,
        "overall": {"delta_pts": delta},
        "strongest": list(strongest),
        "weakest": weakest,
    }


@pytest.mark.parametrize(
    "lang,expected",
    [
        (
            "en",
            "Results in 2565 (2022) rose 2.8 pts over 2564 (2021) (mean percentage of the maximum score). "
            "Strongest: categories 1, 4 and 6. "
            "Weakest: category 7.",
        ),
        (
            "th",
            "ผลการประเมินปี 2565 ดีขึ้น 2.8 จุดเมื่อเทียบกับปี 2564 (ค่าเฉลี่ยร้อยละของคะแนนเต็ม) "
            "หมวดที่ได้คะแนนสูง: หมวด 1, 4 และ 6 หมวดที่ได้คะแนนน้อย: หมวด 7",
        ),
    ],
)
def test_summary_text(lang, expected):
    assert narrative.summary_text(summary(), lang) == expected


def test_summary_text_for_a_fall_a_tie_and_no_data():
    assert narrative.summary_text(summary(delta=-1.25), "en").startswith("Results in 2565 (2022) fell 1.2 pts")
    assert "about the same" in narrative.summary_text(summary(delta=0.01), "en")
    assert narrative.summary_text(summary(delta=None), "en") == i18n.t("narrative.no_pair", "en")


def test_years_are_labels_never_numbers(tiny):
    stats = tiny.query("pct_stats_by_category_year", db.Filters())
    fig = charts.category_trend_lines(stats, "en")
    assert fig.layout.xaxis.type == "category"
    assert list(fig.data[0].x) == ["2564 (2021)", "2565 (2022)"]
    assert list(charts.category_trend_lines(stats, "th").data[0].x) == ["2564", "2565"]


def test_dumbbell_marks_strongest_and_weakest(tiny):
    cats = tiny.query("category_mean_pct_by_year_pair", base_year=2564, compare_year=2565, like_for_like=False)
    fig = charts.category_dumbbell(cats, summary(strongest=(1, 7), weakest=7), "en")
    labels = list(fig.layout.yaxis.categoryarray)
    assert labels == ["Cat. 7 Results ▲ ▼", "Cat. 1 Leadership ▲"]  # only categories with data are drawn
    assert fig.layout.font.family.startswith("Sarabun")


def test_spread_uses_precomputed_quartiles(tiny):
    stats = tiny.query("pct_stats_by_category_year", db.Filters(years=(2564,)))
    box = charts.category_spread(stats, "en").data[0]
    # 2564 category 1: agencies at 60, 80, 100 -> quartiles 70, 80, 90
    assert (box.q1[0], box.median[0], box.q3[0]) == (70.0, 80.0, 90.0)


def test_level_shares_stack_to_100(tiny):
    levels = tiny.query("level_share_by_year", db.Filters(years=(2565,)), like_for_like=False)
    fig = charts.level_shares(levels, "en")
    assert sum(trace.x[0] for trace in fig.data) == pytest.approx(100.0)


def test_every_key_used_in_code_is_in_both_catalogs():
    used = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        used |= set(re.findall(r"\btr?\(\s*\"([a-z_]+\.[a-z_.]+)\"", path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys"
    for lang in i18n.LANGUAGES:
        assert used <= i18n.catalog(lang).keys(), (lang, used - i18n.catalog(lang).keys())


def test_the_agency_counts_chart_has_one_bar_group_per_type(tiny):
    counts = tiny.query("agency_count_by_type_year", db.Filters())
    fig = charts.agency_counts(counts, "en")
    assert {t.name for t in fig.data} == {"Department", "Province", "Public organisation"}
    dept = next(t for t in fig.data if t.name == "Department")
    assert list(dept.y) == [2, 1]  # A1, A2 in 2564; A1 in 2565


def test_category_colours_are_seven_and_distinct():
    assert len(set(charts.CATEGORY_COLOURS)) == 7


def test_trend_lines_are_named_at_their_ends_with_the_cut_offs_as_lines(tiny):
    stats = tiny.query("pct_stats_by_category_year")
    fig = charts.category_trend_lines(stats, "en", cutoffs=[("Basic", 50.0), ("Advance", 65.0)])
    # category 1: 2564 mean (60 + 80 + 100) / 3 = 80, 2565 (70 + 90 + 40) / 3 = 66.7: the label sits at 2565
    ends = {a.text: (a.x, a.y) for a in fig.layout.annotations if a.text.startswith("Cat.")}
    assert ends["Cat. 1"] == (1, pytest.approx(200 / 3))  # the position of "2565 (2022)" on the axis
    assert list(fig.data[0].x)[1] == "2565 (2022)"
    assert sorted(shape.y0 for shape in fig.layout.shapes) == [50.0, 65.0]
    assert {a.text for a in fig.layout.annotations} >= {"Basic 50%", "Advance 65%"}
    assert not fig.layout.showlegend and fig.layout.margin.r >= 100  # room for the labels


def test_no_chart_falls_back_to_plotly_default_colours(tiny):
    fig = charts.agency_counts(tiny.query("agency_count_by_type_year"), "en")
    assert all(trace.marker.color for trace in fig.data)
