"""Every page in Streamlit's AppTest, on the sample and on the tiny fixture (through PMQA_DATA).

AppTest has no Plotly accessor: the element's proto.spec is the figure's JSON, with arrays
base64-encoded with their dtype; `figures` decodes them so tests assert on the data drawn.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.data import db
from dashboard.views import sections
from tests.conftest import ROOT, row, write_rows

pytestmark = pytest.mark.browser  # every test runs the app in AppTest
APP = str(ROOT / "dashboard" / "app" / "streamlit_app.py")
ANALYSIS_PAGES = ["overview", "trends", "strengths", "criteria", "agency", "explore"]  # the ones the sidebar filters
PAGES = [*ANALYSIS_PAGES, "quality", "import_data"]


def _decode(value):
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def figures(at: AppTest) -> list[dict]:
    return [_decode(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def open_page(page: str, data=None, monkeypatch=None, **params) -> AppTest:
    if data is not None:
        monkeypatch.setenv("PMQA_DATA", str(data))
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page(f"app_pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "info", "warning", "error", "caption") for e in at.get(kind))


@pytest.fixture(autouse=True)
def _sample_by_default(monkeypatch):
    monkeypatch.delenv("PMQA_DATA", raising=False)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_page_runs_on_the_sample(page, lang):
    at = open_page(page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert "Synthetic" in texts(at) or "สังเคราะห์" in texts(at)


def test_overview_numbers_are_the_query_layers(sample):
    at = open_page("overview", lang="en")
    s = sections.summary(sample, 2564, 2565)
    shown = metric_values(at)
    assert shown["Agencies assessed, 2565 (2022)"] == str(s["agencies"]["compare"])
    assert shown["Mean total, 2565 (2022)"] == f"{s['overall']['compare_mean_pct']:.1f}%"
    assert "Strongest: categories 1, 4 and 6. Weakest: category 7." in texts(at)


def test_overview_on_the_tiny_folder(tiny_dir, monkeypatch):
    at = open_page("overview", tiny_dir, monkeypatch, lang="en")
    assert not at.exception
    shown = metric_values(at)
    assert shown["Agencies assessed, 2565 (2022)"] == "3"
    assert shown["Mean total, 2565 (2022)"] == "65.0%"  # (65 + 90 + 40) / 3
    # 2564 mean total (55 + 40 + 87.5) / 3 = 60.83, so the rise is 4.17 points
    assert "Results in 2565 (2022) rose 4.2 pts over 2564 (2021) (mean percentage of the maximum score)." in texts(at)
    dumbbell = figures(at)[0]
    base = next(tr for tr in dumbbell["data"] if tr.get("name") == "2564 (2021)")
    compare = next(tr for tr in dumbbell["data"] if tr.get("name") == "2565 (2022)")
    # categories drawn from 7 down to 1; only 1 and 7 have data in the tiny folder
    assert base["x"] == pytest.approx([(50 + 20 + 75) / 3, 80.0])
    assert compare["x"] == pytest.approx([50.0, (70 + 90 + 40) / 3])


def test_a_filter_changes_what_is_shown(tiny_dir, monkeypatch):
    at = open_page("overview", tiny_dir, monkeypatch, lang="en")
    at.multiselect(key="types").set_value(["province"]).run()
    assert metric_values(at)["Mean total, 2565 (2022)"] == "90.0%"  # P1 alone: 18 / 20


def test_the_language_switch_changes_the_text(tiny_dir, monkeypatch):
    at = open_page("overview", tiny_dir, monkeypatch)
    assert at.title[0].value == "ภาพรวม"
    assert "ผลการประเมินปี 2565 ดีขึ้น 4.2 จุดเมื่อเทียบกับปี 2564" in texts(at)
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value == "Overview"


def test_a_filter_that_matches_nothing_explains_itself(tiny_dir, monkeypatch):
    for page in ANALYSIS_PAGES:
        at = open_page(page, tiny_dir, monkeypatch, lang="en")
        at.multiselect(key="types").set_value(["province"])
        at.multiselect(key="groups").set_value(["กระทรวงทดสอบ"]).run()  # a ministry has no provinces
        assert not at.exception, page
        assert "Nothing matches these filters" in texts(at) or "No agency" in texts(at), page
        assert not at.get("plotly_chart"), page


def test_one_year_of_data(tmp_path, monkeypatch):
    write_rows(tmp_path / "only.parquet", [row(2565, "A1", "1.1", 5.0, 10.0), row(2565, "A1", "7.1", 8.0, 20.0)])
    for page in PAGES:
        at = open_page(page, tmp_path, monkeypatch, lang="en")
        assert not at.exception, page
    at = open_page("overview", tmp_path, monkeypatch, lang="en")
    assert "The data holds one year only" in texts(at)


def test_a_bad_data_folder_is_explained_not_a_traceback(tmp_path, monkeypatch):
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    at = open_page("overview", tmp_path, monkeypatch, lang="en")
    assert not at.exception
    assert "cannot be shown" in at.error[0].value
    assert "unreadable or corrupt" in at.code[0].value


def test_trends_like_for_like_switch(tiny_dir, monkeypatch):
    at = open_page("trends", tiny_dir, monkeypatch, lang="en")
    lines = figures(at)[0]
    cat1 = next(tr for tr in lines["data"] if tr["name"] == "Cat. 1")
    assert cat1["x"] == ["2564 (2021)", "2565 (2022)"]  # years as labels, never 2,564.5
    assert cat1["y"] == pytest.approx([80.0, (70 + 90 + 40) / 3])
    overall = next(tr for tr in lines["data"] if tr["name"] == "All categories (mean total)")
    assert overall["y"] == pytest.approx([(55 + 40 + 87.5) / 3, 65.0])
    at.toggle(key="trend_like").set_value(True).run()
    cat1 = next(tr for tr in figures(at)[0]["data"] if tr["name"] == "Cat. 1")
    assert cat1["y"] == pytest.approx([80.0, 80.0])  # A1 and P1: (60+100)/2, (70+90)/2


def test_strengths_lists_the_criteria_below_the_threshold(tiny_dir, monkeypatch):
    at = open_page("strengths", tiny_dir, monkeypatch, lang="en")
    at.slider(key="threshold").set_value(65).run()
    lowest = figures(at)[1]["data"][0]
    # 2565, threshold 65%: 1.1 -> A1 60, P1 90, N1 40: 2 of 3 below; 1.2 -> 80, 90, 40: 1 of 3 below
    # each bar is named by its code and the scheme's name (the tiny folder uses the bundled scheme)
    assert dict(zip(lowest["y"], lowest["x"], strict=True)) == pytest.approx(
        {"1.1 Executive leadership": 200 / 3, "1.2 Governance and social responsibility": 100 / 3}
    )
    table = at.dataframe[0].value
    assert table[["criterion", "criterion_name"]].values.tolist()[0] == ["1.1", "Executive leadership"]


def test_agency_drilldown_from_a_link(tiny_dir, monkeypatch):
    at = open_page("agency", tiny_dir, monkeypatch, lang="en", agency="A1")
    assert not at.exception
    shown = metric_values(at)
    assert shown["Total, 2565 (2022)"] == "65.0%"  # 26 / 40
    assert shown["Rank of 1"] == "1"  # A2 left in 2564: A1 is the only department
    assert shown["Status level, 2565 (2022)"] == "Advance"  # 65% against the illustrative cut-offs 50/65/80
    profile = figures(at)[0]
    me = next(tr for tr in profile["data"] if tr["name"] == "This agency")
    assert me["y"] == pytest.approx([70.0, 60.0])


def test_agency_link_to_an_unknown_code(tiny_dir, monkeypatch):
    at = open_page("agency", tiny_dir, monkeypatch, lang="en", agency="<script>")
    assert not at.exception
    assert "No agency with code" in texts(at)


def test_explore_shows_exactly_the_query_layers_table(tiny_dir, monkeypatch, tiny):
    at = open_page("explore", tiny_dir, monkeypatch, lang="en")
    shown = at.dataframe[0].value
    expected = sections.table(tiny, "agency", db.Filters(years=(2565,)), via="test")
    assert len(shown) == len(expected) == 5
    assert shown["pct"].tolist() == pytest.approx(expected["pct"].tolist())
    assert len(at.get("download_button")) == 3


def test_a_changed_data_folder_is_picked_up_without_a_restart(tmp_path, monkeypatch):
    from tests.conftest import tiny_rows

    rows = tiny_rows()
    write_rows(tmp_path / "2564.parquet", rows[2564])
    at = open_page("overview", tmp_path, monkeypatch, lang="en")
    assert "The data holds one year only" in texts(at)
    write_rows(tmp_path / "2565.parquet", rows[2565])
    at.run()  # the same session, no restart: the new year is offered and counted
    assert at.selectbox(key="compare").options == ["2565 (2022)", "2564 (2021)"]
    at.selectbox(key="compare").set_value(2565).run()
    assert metric_values(at)["Mean total, 2565 (2022)"] == "65.0%"


def test_many_agencies_are_picked_through_a_search(tiny_dir, monkeypatch):
    """Beyond LIST_ALL_AGENCIES the pickers list what a search finds, not every agency."""
    from dashboard.app import agencies

    monkeypatch.setattr(agencies, "LIST_ALL_AGENCIES", 2)  # the tiny folder's 4 agencies count as many
    at = open_page("explore", tiny_dir, monkeypatch, lang="en")
    # Issue 19, point 7: one box. A multiselect under the search held only what it found, and
    # typing into it (as anyone would) answered "No results".
    assert [t.key for t in at.text_input] == ["agencies_find"]
    assert "agencies" not in [m.key for m in at.multiselect]
    assert len(at.radio(key="level").options) and len(at.radio) == 1  # no list before anything is typed
    at.text_input(key="agencies_find").input("agency p1").run()  # by English name, any case
    assert at.radio(key="agencies_match").options == ["P1 · หน่วยงาน P1 · Agency P1"]
    at.radio(key="agencies_match").set_value("P1").run()
    assert at.text_input(key="agencies_find").value == ""  # the search empties once an agency is added
    assert at.dataframe[0].value["agency_code"].unique().tolist() == ["P1"]
    at.text_input(key="agencies_find").input("กรมใหม่").run()  # A1's Thai name in 2565
    at.radio(key="agencies_match").set_value("A1").run()
    assert at.pills(key="agencies_chosen").options == ["P1 · Agency P1", "A1 · Agency A1"]
    assert sorted(at.dataframe[0].value["agency_code"].unique()) == ["A1", "P1"]
    assert at.query_params["agency"] == ["P1", "A1"]  # the link names both
    at.pills(key="agencies_chosen").set_value(["A1"]).run()  # P1's pill clicked: it is let go
    assert at.dataframe[0].value["agency_code"].unique().tolist() == ["A1"]
    assert at.query_params["agency"] == "A1"  # one value: the link holds it alone

    at = open_page("agency", tiny_dir, monkeypatch, lang="en", agency="N1")
    assert at.subheader[0].value.startswith("N1 · ")  # a linked agency is shown without a search
    assert not at.exception


def test_the_drilldown_follows_the_year_pair(tiny_dir, monkeypatch):
    """A1: 2564 = (5+7+10)/40 = 55%, 2565 = (6+8+12)/40 = 65%. A link with the pair reversed is read
    earlier first (issue 19): the headline is 2565's, its change counted from 2564; in 2565 A1 is the
    only department (P1 is a province, N1 a public organisation), so it ranks first of one."""
    at = open_page("agency", tiny_dir, monkeypatch, lang="en", base="2565", compare="2564", agency="A1")
    assert not at.exception
    total = next(m for m in at.metric if m.label == "Total, 2565 (2022)")
    assert (total.value, total.delta) == ("65.0%", "+10.0 pts")
    rank = next(m for m in at.metric if m.label == "Rank of 1")
    assert rank.value == "1"
    assert at.selectbox(key="profile_year").value == 2565  # the page's own year starts from the pair


def test_a_link_with_the_base_year_after_the_compare_year_says_what_it_shows(tiny_dir, monkeypatch):
    """Issue 19, point 2: base=2565&compare=2564 said results "fell". The tiny folder's mean total
    is 60.8% in 2564 and 65.0% in 2565 (tests/test_brief): read earlier first, they rose 4.2 pts."""
    at = open_page("overview", tiny_dir, monkeypatch, lang="en", base="2565", compare="2564")
    assert not at.exception
    assert (
        "This link asks for base=2565 and compare=2564, a base year later than the compare year: the same two "
        "years are shown the other way round, 2564 (2021) → 2565 (2022)."
    ) in texts(at)
    assert "Results in 2565 (2022) rose 4.2 pts over 2564 (2021)" in texts(at)
    assert (at.query_params["base"], at.query_params["compare"]) == ("2564", "2565")
    at = open_page("overview", tiny_dir, monkeypatch, lang="th", base="2565", compare="2564")
    assert "ลิงก์นี้ระบุ base=2565 และ compare=2564 ซึ่งปีฐานอยู่หลังปีที่เปรียบเทียบ" in texts(at)


def test_the_sidebar_offers_no_base_year_after_the_compare_year(tiny_dir, monkeypatch):
    """Issue 19, point 2: base above compare in the sidebar, and the base's list stops at the compare year."""
    at = open_page("overview", tiny_dir, monkeypatch, lang="en")
    assert [box.key for box in at.sidebar.selectbox] == ["base", "compare"]
    assert at.selectbox(key="base").options == ["2565 (2022)", "2564 (2021)"]  # compare is 2565
    at.selectbox(key="compare").set_value(2564).run()
    assert at.selectbox(key="base").options == ["2564 (2021)"]
    assert at.selectbox(key="base").value == 2564
    assert "Results in" not in texts(at)  # one year against itself: no change is claimed


def test_a_typed_link_is_read_as_codes_and_written_back_as_codes(tiny_dir, monkeypatch):
    at = open_page("explore", tiny_dir, monkeypatch, lang="en", agency=["P1", "ZZ9"], cats=["1", "12"], years="2400")
    assert "This link asks for values the data does not have" in texts(at)
    for shown in ("agency=ZZ9", "cats=12", "years=2400"):
        assert shown in texts(at)
    table = at.dataframe[0].value
    assert table[["agency_code", "category", "fiscal_year"]].values.tolist() == [["P1", 1, 2565]]
    # the link now names what is on screen, as codes (AppTest gives a single value as a string)
    assert (at.query_params["agency"], at.query_params["cats"], at.query_params["years"]) == ("P1", "1", "2565")
    assert (at.query_params["lang"], at.query_params["base"], at.query_params["compare"]) == ("en", "2564", "2565")


def test_the_page_body_names_its_filters_and_clears_them(tiny_dir, monkeypatch):
    at = open_page("overview", tiny_dir, monkeypatch, lang="en", types="province")
    assert "2564 (2021) → 2565 (2022) · Agency types: Province · Ministries and clusters: All" in texts(at)
    assert metric_values(at)["Agencies assessed, 2565 (2022)"] == "1"  # P1 only
    at.button(key="clear").click().run()
    assert "Agency types: All" in texts(at) and metric_values(at)["Agencies assessed, 2565 (2022)"] == "3"
    assert "types" not in at.query_params
    quality = open_page("quality", tiny_dir, monkeypatch, lang="en", types="province")
    assert "the sidebar's years and filters do not apply here" in texts(quality)


def test_english_tables_show_words_not_codes(tiny_dir, monkeypatch):
    at = open_page("explore", tiny_dir, monkeypatch, lang="en")
    table = at.dataframe[0].value
    assert set(table["agency_type"]) == {"Department", "Province", "Public organisation"}
    assert "agency_group" in table and "agency_group_th" not in table
    quality = open_page("quality", tiny_dir, monkeypatch, lang="en")
    changes = next(df.value for df in quality.dataframe if "change" in df.value)
    assert "Renamed" in set(changes["change"])  # A1: กรมเก่า -> กรมใหม่


def test_like_for_like_changes_the_level_shares_too(tiny_dir, monkeypatch):
    """2565 totals: A1 26/40 = 65% (Advance), P1 18/20 = 90% (Significance), N1 16/40 = 40% (below).
    Like-for-like keeps A1 and P1, in both years: half Advance, half Significance, none below."""
    at = open_page("overview", tiny_dir, monkeypatch, lang="en")
    assert metric_values(at)["Agencies: Below the first level"] == "33.3%"
    at = open_page("overview", tiny_dir, monkeypatch, lang="en", like="true")
    shown = metric_values(at)
    levels = (shown[f"Agencies: {level}"] for level in ("Below the first level", "Advance", "Significance"))
    assert tuple(levels) == ("0.0%", "50.0%", "50.0%")


def test_the_data_own_criterion_names_replace_the_scheme(tmp_path, monkeypatch):
    """Optional columns criterion_name_th / _en: a named criterion shows the data's name; one the
    data leaves unnamed keeps the scheme's; English falls back to Thai where the data has only Thai."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.conftest import SCHEMA, tiny_rows

    names = {"1.1": ("ภาวะผู้นำของผู้บริหาร", "Leaders who lead"), "7.1": ("ผลลัพธ์หลัก", None)}
    schema = pa.schema([*SCHEMA.items(), ("criterion_name_th", pa.string()), ("criterion_name_en", pa.string())])
    for year, rows in tiny_rows().items():
        named = [
            r
            | dict(
                zip(("criterion_name_th", "criterion_name_en"), names.get(r["criterion"], (None, None)), strict=True)
            )
            for r in rows
        ]
        pq.write_table(pa.Table.from_pylist(named, schema=schema), tmp_path / f"{year}.parquet")
    at = open_page("strengths", tmp_path, monkeypatch, lang="en", threshold="65")
    table = at.dataframe[0].value
    assert dict(zip(table.criterion, table.criterion_name, strict=True)) == {
        "1.1": "Leaders who lead",
        "1.2": "Governance and social responsibility",  # not in the data: the scheme's
    }
    items = at.dataframe[-1].value
    assert items.criterion_name.tolist() == ["ผลลัพธ์หลัก"]  # no English name in the data: the Thai one


def test_the_overview_makes_the_brief_of_what_is_on_screen(tiny_dir, monkeypatch):
    import io

    import openpyxl

    at = open_page("overview", tiny_dir, monkeypatch, lang="en", types="department")
    at.button_group(key="brief_fmt").set_value(".xlsx").run()
    at.button(key="brief_make").click().run()
    assert not at.exception and len(at.get("download_button")) == 1
    book = openpyxl.load_workbook(io.BytesIO(at.session_state["_brief"][2]))
    summary = " ".join(str(c.value) for row in book.worksheets[0].iter_rows() for c in row)
    assert metric_values(at)["Mean total, 2565 (2022)"] == "65.0%"  # A1 alone among departments in 2565
    (mean,) = [r for r in book.worksheets[0].iter_rows() if r[0].value == "Mean total, 2565 (2022)"]
    assert mean[1].value == 65 and "%" in mean[1].number_format  # a number in its cell, shown as a share
    assert "Agency types: Department" in summary


def test_strengths_names_its_list_for_what_it_is(tiny_dir, monkeypatch):
    """Issue 19, point 1: the largest shares below the threshold, and "most" only where it is true.
    2565 below 65 %: 1.1 (A1 60, P1 90, N1 40 %) 2 of 3; 1.2 (80, 90, 40 %) 1 of 3."""
    at = open_page("strengths", tiny_dir, monkeypatch, lang="en", threshold="65")
    headers = [h.value for h in at.header]
    assert "Categories 1–6: the criteria with the largest share of agencies below 65%, 2565 (2022)" in headers
    assert "More than half of the agencies assessed are below 65% on 1 of these criteria: 1.1." in texts(at)
    at.slider(key="threshold").set_value(50).run()  # 1 of 3 on each
    assert "On none of these criteria are more than half of the agencies assessed below 50%." in texts(at)


def test_clicking_the_chosen_brief_format_keeps_it_chosen(tiny_dir, monkeypatch):
    """Issue 19, point 14: a click on the chosen format used to clear it, and "Make" then made
    nothing. The browser now ignores that click (required); a cleared value keeps the last format."""
    at = open_page("overview", tiny_dir, monkeypatch, lang="en")
    formats = at.button_group(key="brief_fmt")
    assert formats.proto.required
    formats.set_value(".xlsx").run()
    at.button_group(key="brief_fmt").unselect(".xlsx").run()  # what the click sent before
    assert at.button_group(key="brief_fmt").value == ".xlsx"
    at.button(key="brief_make").click().run()
    assert not at.exception and len(at.get("download_button")) == 1
    assert at.session_state["_brief"][1] == ".xlsx"


def test_the_brief_is_made_at_the_threshold_the_person_was_looking_at(tiny_dir, monkeypatch):
    """Issue 19, point 3: Strengths at 65 %, then the Overview's brief was made at 50 %; the link
    dropped the threshold. 2565 below 65 %: 1.1 (A1 60, P1 90, N1 40 %) 2 of 3, 1.2 (80, 90, 40 %) 1 of 3."""
    import io

    import openpyxl

    at = open_page("strengths", tiny_dir, monkeypatch, lang="en")
    at.slider(key="threshold").set_value(65).run()
    at.switch_page("app_pages/overview.py").run()
    assert at.slider(key="threshold").value == 65 and at.query_params["threshold"] == "65"
    at.button_group(key="brief_fmt").set_value(".xlsx").run()
    at.button(key="brief_make").click().run()
    assert not at.exception and at.session_state["_brief"][0].threshold == 65
    book = openpyxl.load_workbook(io.BytesIO(at.session_state["_brief"][2]))
    shares = {row[0]: row[3] for row in book["Lowest criteria"].iter_rows(min_row=2, values_only=True)}
    assert shares == {"1.1": pytest.approx(200 / 3), "1.2": pytest.approx(100 / 3)}
    assert ("Threshold (% of a criterion's maximum)", "65%") in book["Selection"].iter_rows(values_only=True)

    at = open_page("overview", tiny_dir, monkeypatch, lang="en", threshold="40")  # a link's threshold
    assert at.slider(key="threshold").value == 40 and at.query_params["threshold"] == "40"


def test_a_link_value_meant_for_another_page_falls_back_to_this_page_default(tiny_dir, monkeypatch):
    at = open_page("agency", tiny_dir, monkeypatch, lang="en", cat="0")  # 0: all categories, on Strengths
    assert not at.exception and at.selectbox(key="mover_cat").value == 1
