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
    # the cut-offs are named on the axis, a round tick within 5 points of one giving way (60, 70)
    named = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
    assert (named[50.0], named[65.0], named[80]) == ("Basic 50%", "Advance 65%", "80%")
    assert 60 not in named and 70 not in named
    # room for the names ("Cat. 1": 6 characters, at most 8 px each, 8 px from the point), no more
    assert not fig.layout.showlegend and fig.layout.margin.r == 8 + 6 * 8


def test_no_chart_falls_back_to_plotly_default_colours(tiny):
    fig = charts.agency_counts(tiny.query("agency_count_by_type_year"), "en")
    assert all(trace.marker.color for trace in fig.data)


# A plot's drawing area is its height less the margins and, at most, 80 px for the x axis's labels
# and title: the fewest pixels per unit of y the labels can get
X_AXIS_AT_MOST = 80


def _pixels_per_unit(fig) -> float:
    low, high = fig.layout.yaxis.range
    drawn = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b - X_AXIS_AT_MOST
    return drawn / (high - low)


def _close_ends():
    """Seven categories over two years whose last values lie within 1.5 points (by hand: a sample's
    categories 2, 3 and 5 ended 62.3, 61.8 and 60.6)."""
    import pandas as pd

    last = {1: 74.0, 6: 73.2, 4: 71.5, 2: 62.3, 3: 61.8, 5: 60.6, 7: 54.3}
    rows = [(c, y, v - 3 * (2565 - y)) for c, v in last.items() for y in (2564, 2565)]
    return pd.DataFrame(rows, columns=["category", "fiscal_year", "mean_pct"])


@pytest.mark.parametrize("lang", ["en", "th"])
def test_the_trend_end_labels_are_apart_by_their_height(lang):
    import pandas as pd

    overall = pd.DataFrame({"fiscal_year": [2564, 2565], "mean_pct": [59.0, 62.0]})  # among 2, 3 and 5
    for fig in (
        charts.category_trend_lines(_close_ends(), lang, overall=overall, cutoffs=[("Basic", 50.0)]),
        charts.agency_path(_close_ends().rename(columns={"mean_pct": "pct"}), lang),
    ):
        ends = sorted((a for a in fig.layout.annotations if a.xshift == 8), key=lambda a: a.y)  # not the cut-offs
        assert len(ends) == (8 if len(fig.data) == 8 else 7)
        gaps = [(b.y - a.y) * _pixels_per_unit(fig) for a, b in zip(ends, ends[1:], strict=False)]
        assert min(gaps) >= ends[0].font.size, gaps
        # each stays within a line's height of its own line's end (74.0 is the top line's)
        assert max(abs(a.y - 74.0) for a in ends if a.text.endswith(" 1")) * _pixels_per_unit(fig) <= 14


def test_the_dumbbells_cut_off_names_sit_below_the_last_row():
    import pandas as pd

    cats = pd.DataFrame(
        {
            "category": range(1, 8),
            "base_mean_pct": [70.0, 58.0, 57.0, 68.0, 55.0, 67.0, 47.0],
            "compare_mean_pct": [74.0, 62.3, 61.8, 71.5, 60.6, 73.2, 54.3],
        }
    ).assign(delta_pts=lambda d: d.compare_mean_pct - d.base_mean_pct)
    fig = charts.category_dumbbell(cats, summary(), "th", cutoffs=[("พื้นฐาน", 50.0), ("ก้าวหน้า", 65.0)])
    names = [a for a in fig.layout.annotations if a.text in ("พื้นฐาน 50%", "ก้าวหน้า 65%")]
    assert len(names) == 2 and all((a.y, a.yanchor, a.yref) == (0, "bottom", "y domain") for a in names)
    # next to each other, the names stand at different heights, a line apart (on a phone 50 and 65 meet)
    assert abs(names[1].yshift - (names[0].yshift or 0)) >= names[0].font.size + 2
    # the rows are at 0 (category 7, the lowest) to 6; the names stand on the plot's floor, the highest
    # of three steps below row 0 by more than its height and half a marker (14 px)
    band = -fig.layout.yaxis.range[0] * _pixels_per_unit(fig) - 14 / 2
    assert band >= 3 * (names[0].font.size + 2), band


def test_a_chart_reads_as_a_table(tiny):
    """The text alternative: one row per label, one column per series, the values as the axis shows them."""
    stats = tiny.query("pct_stats_by_category_year")
    table = charts.as_table(charts.category_trend_lines(stats, "en"))
    # category 1: 2564 (60 + 80 + 100) / 3 = 80.0, 2565 (70 + 90 + 40) / 3 = 66.7
    assert table.loc["2564 (2021)", "Cat. 1"] == "80.0%"
    assert table.loc["2565 (2022)", "Cat. 1"] == "66.7%"
    cats = tiny.query("category_mean_pct_by_year_pair", base_year=2564, compare_year=2565, like_for_like=False)
    table = charts.as_table(charts.category_dumbbell(cats, summary(strongest=(1, 7), weakest=7), "th"))
    assert list(table.columns) == ["2564", "2565"] and table.loc["หมวด 1 การนำองค์การ ▲", "2565"] == "66.7%"


def test_the_dumbbells_axis_says_the_category_and_its_hover_the_name(tiny):
    """On a phone the names took the width: the axis says "Cat. 1", the hover and the table the name;
    the brief (a known, wide page) keeps the names on the axis."""
    cats = tiny.query("category_mean_pct_by_year_pair", base_year=2564, compare_year=2565, like_for_like=False)
    fig = charts.category_dumbbell(cats, summary(strongest=(1, 7), weakest=7), "en")
    assert list(fig.layout.yaxis.tickvals) == ["Cat. 7 Results ▲ ▼", "Cat. 1 Leadership ▲"]
    assert list(fig.layout.yaxis.ticktext) == ["Cat. 7 ▲ ▼", "Cat. 1 ▲"]
    assert fig.data[-1].hovertemplate.startswith("%{y}<br>")  # y is the whole label
    assert list(charts.as_table(fig).index) == ["Cat. 7 Results ▲ ▼", "Cat. 1 Leadership ▲"]
    wide = charts.category_dumbbell(cats, summary(strongest=(1, 7), weakest=7), "th", names_on_axis=True)
    assert list(wide.layout.yaxis.ticktext) == ["หมวด 7 ผลลัพธ์การดำเนินการ ▲ ▼", "หมวด 1 การนำองค์การ ▲"]


@pytest.mark.parametrize("lang,end", [("en", "Overall"), ("th", "ทุกหมวด")])
def test_the_mean_totals_line_is_named_short_at_its_end(lang, end):
    """'ภาพรวม (ค่าเฉลี่ยคะแนนรวม)' at the line's end ran off a phone's screen; the legend's and the
    table's name stays whole."""
    import pandas as pd

    overall = pd.DataFrame({"fiscal_year": [2564, 2565], "mean_pct": [59.0, 62.0]})
    fig = charts.category_trend_lines(_close_ends(), lang, overall=overall)
    assert end in [a.text for a in fig.layout.annotations]
    assert fig.data[0].name == i18n.t("legend.overall", lang) != end
    assert i18n.t("legend.overall", lang) in charts.as_table(fig).columns


def test_the_result_items_axis_names_each_item_by_its_code(tiny):
    """The items' names, turned on the axis, took most of the figure's height: codes on the axis, the
    names in the hover and the table."""
    crit = tiny.query("criterion_stats_by_year", db.Filters(categories=(7,)), threshold=50)
    fig = charts.result_items(crit, "en", {"7.1": "Effectiveness"})
    assert list(fig.layout.xaxis.ticktext) == ["7.1"]
    assert list(fig.layout.xaxis.tickvals) == ["7.1<br>Effectiveness"]
    assert list(charts.as_table(fig).index) == ["7.1 Effectiveness"]


def test_a_chart_without_its_title_for_a_page_that_heads_it():
    fig = charts.category_trend_lines(_close_ends(), "en")
    bare = charts.untitled(fig)
    assert bare.layout.title.text is None and bare.layout.margin.t == charts.TOP_UNTITLED
    assert fig.layout.title.text == i18n.t("chart.trend", "en") and fig.layout.margin.t == 90  # untouched


def test_the_rank_heatmaps_axis_says_the_category_and_its_table_the_name(tiny):
    stats = tiny.query("category_rank_by_year")
    fig = charts.rank_heatmap(stats, "th")
    assert list(fig.layout.yaxis.ticktext) == ["หมวด 7", "หมวด 1"]
    assert list(fig.layout.yaxis.tickvals) == ["หมวด 7 ผลลัพธ์การดำเนินการ", "หมวด 1 การนำองค์การ"]
    assert list(charts.as_table(fig).index) == ["หมวด 7 ผลลัพธ์การดำเนินการ", "หมวด 1 การนำองค์การ"]


def test_the_lowest_criteria_axis_gives_codes_and_the_brief_names(tiny):
    """On a phone the criteria's names left the bars a 64 px strip: codes on the axis, the names in
    the hover and the table; the brief's wide page keeps them."""
    from dashboard.views import sections

    crit = sections.lowest_criteria(tiny, db.Filters(), 2565, 50)
    names = {"1.1": "Vision", "1.2": "Values"}
    fig = charts.lowest_criteria(crit, "en", 50, names)  # the tiny folder's process criteria
    assert sorted(fig.layout.yaxis.ticktext) == ["1.1", "1.2"]
    assert sorted(fig.layout.yaxis.tickvals) == ["1.1 Vision", "1.2 Values"]
    assert sorted(charts.as_table(fig).index) == ["1.1 Vision", "1.2 Values"]
    wide = charts.lowest_criteria(crit, "en", 50, names, names_on_axis=True)
    assert list(wide.layout.yaxis.ticktext) == list(wide.layout.yaxis.tickvals)


def test_the_level_shares_leave_room_for_the_100_percent_tick(tiny):
    levels = tiny.query("level_share_by_year", db.Filters(years=(2565,)), like_for_like=False)
    assert charts.level_shares(levels, "en").layout.margin.r >= 30  # "100%" centred on the edge: ~17 px each side
