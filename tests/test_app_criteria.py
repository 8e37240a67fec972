"""The Criteria page (issue 17) in Streamlit's AppTest, on the sample and on test_criteria's fixture
(twelve agencies, a criterion of each flag); its download door; and, in chromium, a click on a
criterion's row that opens the agencies below it.

The fixture's expected values are worked out by hand from tests/test_criteria.DATA (threshold 50):
3.1 scores 8 2 9 3 7 4 1 8 3 9 2 4 out of 10 for A01…A12, so A07 (10 %), A02 and A11 (20 %), A04
and A09 (30 %), A06 and A12 (40 %) are below: 7 of 12, 58.3 %, and its mean is 60 / 12 = 5, 50 %.
In 2564 A07 had 2 (20 %), A02 3 (30 %), A04 4 (40 %), A09 3 (30 %), A06 5 (50 %); A11 and A12
were not yet assessed.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.data import access, audit, db
from dashboard.errors import DataError
from dashboard.outputs import charts
from dashboard.views import sections
from tests.conftest import CLUSTER, write_rows
from tests.test_app import figures, open_page, texts
from tests.test_browser import ARTIFACTS, app_url, browser, settle  # noqa: F401 (fixtures)
from tests.test_criteria import CODES, DATA, PROVINCES, YEARS
from tests.test_criteria import row as criteria_row
from tests.test_identity import AUTH

FLAGS = {  # test_criteria's docstring: one criterion of each flag, two redundant
    "1.1": "no flag",
    "1.2": "redundant",
    "1.3": "redundant",
    "2.1": "hard",
    "2.2": "no flag",
    "3.1": "unclear",
    "4.1": "saturated",
}
BELOW_31 = [  # code, criterion %, criterion % in 2564
    ("A07", 10.0, 20.0),
    ("A02", 20.0, 30.0),
    ("A11", 20.0, None),
    ("A04", 30.0, 40.0),
    ("A09", 30.0, 30.0),
    ("A06", 40.0, 50.0),
    ("A12", 40.0, None),
]


@pytest.fixture(autouse=True)
def _sample_by_default(monkeypatch):
    monkeypatch.delenv("PMQA_DATA", raising=False)


@pytest.fixture(scope="module")
def flags_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("criteria_page")
    for year, at in YEARS.items():
        rows = []
        for criterion, entry in DATA.items():
            for code, score in zip(CODES, entry[at], strict=False):
                province = {"type_": "province", "group": CLUSTER} if code in PROVINCES else {}
                rows.append(criteria_row(year, code, criterion, score, entry[0], **province))
        write_rows(folder / f"{year}.parquet", rows)
    return folder


def criteria_table(at):
    return at.dataframe[0].value


@pytest.mark.browser  # AppTest
@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_page_runs_on_the_sample_for_2564_to_2565(lang, sample):
    at = open_page("criteria", lang=lang, base="2564", compare="2565")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == {"th": "วิเคราะห์ประเด็นการประเมิน", "en": "Criteria workbench"}[lang]
    expected = sections.workbench(sample, 2565, 2564, 50, db.Filters(), lang)["criteria"]
    table = criteria_table(at)
    assert table["criterion"].tolist() == [c["criterion"] for c in expected]
    assert table["mean_pct"].tolist() == pytest.approx([c["mean_pct"] for c in expected])
    assert "delta_pts" in table  # a base year: its change is shown
    [chart] = figures(at)
    assert sum(len(trace["x"]) for trace in chart["data"]) == len(expected)  # the sample's 300 agencies: every r


@pytest.mark.browser
def test_each_flag_is_shown_as_a_word_with_its_numbers(flags_dir, monkeypatch):
    at = open_page("criteria", flags_dir, monkeypatch, lang="en")
    assert not at.exception, [e.value for e in at.exception]
    table = criteria_table(at).set_index("criterion")
    assert table["flag"].to_dict() == FLAGS
    assert table.loc["3.1", "below_share"] == pytest.approx(700 / 12)
    assert table.loc["3.1", "mean_pct"] == pytest.approx(50.0)
    assert table.loc["4.1", "ceiling_share"] == pytest.approx(800 / 12)  # 8 of 12 at 20 / 20
    assert table.loc["1.1", "assessed"] == 11  # A12 not assessed in 2565
    assert "the wording likely needs an explanation" in table.loc["3.1", "reason"]
    assert "Cut points: saturated when 50% or more" in texts(at)
    chart = figures(at)[0]
    unclear = next(tr for tr in chart["data"] if tr["name"] == "unclear")
    assert (unclear["text"], unclear["x"]) == (["3.1"], pytest.approx([50.0]))
    assert {tr["name"] for tr in chart["data"]} == {"no flag", "redundant", "hard", "unclear", "saturated"}
    lines = sorted((s["type"], s.get("x0"), s.get("y0")) for s in chart["layout"]["shapes"])
    assert [(x, y) for _, x, y in lines] == [(0, 0.3), (50, 0)]  # the cut r = 0.3 across, the threshold up
    assert "in the table only: 1" in texts(at)  # 2.2: every agency 8 / 10, no variance, no height


@pytest.mark.browser
def test_the_flag_filter_narrows_the_table_and_is_in_the_link(flags_dir, monkeypatch):
    at = open_page("criteria", flags_dir, monkeypatch, lang="en")
    at.multiselect(key="crit_flags").set_value(["unclear"]).run()
    assert criteria_table(at)["criterion"].tolist() == ["3.1"]
    assert at.query_params["flag"] == "unclear"
    at = open_page("criteria", flags_dir, monkeypatch, lang="en", flag=["hard", "saturated", "bogus"], cat="4")
    assert criteria_table(at)["criterion"].tolist() == ["4.1"]  # category 4 holds the saturated one only
    assert "This link asks for values the data does not have" in texts(at) and "flag=bogus" in texts(at)


@pytest.mark.browser
def test_a_chosen_criterion_lists_the_agencies_below_it(flags_dir, monkeypatch):
    at = open_page("criteria", flags_dir, monkeypatch, lang="en", criterion="3.1")
    assert not at.exception, [e.value for e in at.exception]
    # the bundled scheme's name of 3.1; the code Markdown-escaped, read as 3.1
    assert at.header[-1].value == "Agencies below 50% on 3\\.1 Customer information, 2565 (2022)"
    below = at.dataframe[1].value
    shown = list(zip(below["agency_code"], below["pct"], below["base_pct"], strict=True))
    assert [(c, p, None if b != b else b) for c, p, b in shown] == BELOW_31
    assert below["agency_name"].tolist()[0] == "Agency A07"  # the English name in English
    assert len(at.get("download_button")) == 2  # CSV and XLSX


@pytest.mark.browser
def test_an_unknown_criterion_in_the_link_is_named(flags_dir, monkeypatch):
    at = open_page("criteria", flags_dir, monkeypatch, lang="en", criterion="9.9")
    assert not at.exception
    assert "No criterion 9\\.9 in 2565 (2022) under these filters." in texts(at)  # escaped Markdown: reads 9.9
    assert len(at.dataframe) == 1  # the criteria, no list of agencies


@pytest.mark.browser
def test_few_agencies_explain_the_missing_discrimination(tiny_dir, monkeypatch):
    at = open_page("criteria", tiny_dir, monkeypatch, lang="en", base="2565", compare="2565")
    assert not at.exception
    assert "needs at least 10 agencies assessed; these filters leave at most 3" in texts(at)
    assert not at.get("plotly_chart")
    table = criteria_table(at)
    assert table["criterion"].tolist() == ["1.1", "1.2", "7.1"]
    assert "delta_pts" not in table and "base_mean_pct" not in table  # one year: no change to show


@pytest.mark.browser
def test_a_viewer_sees_the_criteria_but_no_agency_list(flags_dir, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP

    roles = tmp_path / "roles.toml"
    roles.write_text('[[person]]\nemail = "viewer@example.org"\nrole = "viewer"\nscope = "all"\n', encoding="utf-8")
    monkeypatch.setenv("PMQA_DATA", str(flags_dir))
    monkeypatch.setenv("PMQA_ROLES", str(roles))
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(tmp_path / "audit"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "viewer@example.org", "email_verified": True, "sub": "v", "iat": 1}
    at.switch_page("app_pages/criteria.py")
    at.query_params["lang"] = "en"
    at.query_params["criterion"] = "3.1"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert criteria_table(at).set_index("criterion")["flag"].to_dict() == FLAGS
    assert "The list of agencies below a criterion needs the analyst role." in texts(at)
    assert len(at.dataframe) == 1 and not at.get("download_button")
    assert "A07" not in texts(at)


def test_the_agencies_below_leave_through_the_export_door(flags_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(tmp_path))
    store = db.Store(flags_dir, access.operator())
    table = sections.below_table(store, 2565, "3.1", 50, 2564, db.Filters(), via="test", format=".csv")
    assert table["agency_code"].tolist() == [code for code, _, _ in BELOW_31]
    [line] = audit.read(tmp_path / audit.FILE)
    assert (line["event"], line["level"], line["criterion"], line["threshold"]) == (
        "export",
        "agencies_below",
        "3.1",
        50,
    )
    viewer = store.scoped(access.Access("v@example.go.th", "viewer", access.EVERYTHING))
    with pytest.raises(access.AccessDenied):
        sections.below_table(viewer, 2565, "3.1", 50, 2564, db.Filters(), via="test")
    analyst = store.scoped(access.Access("a@example.go.th", "analyst", access.EVERYTHING))
    with pytest.raises(DataError, match="no criterion '9.9' in fiscal year 2565"):
        sections.below_table(analyst, 2565, "9.9", 50, 2564, db.Filters(), via="test")
    assert len(audit.read(tmp_path / audit.FILE)) == 1  # a refusal writes no line


@pytest.mark.browser  # the app's server and chromium
def test_a_click_on_a_criterion_row_or_point_opens_its_agencies(app_url, browser, sample):  # noqa: F811
    page: Page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{app_url}/criteria?lang=en&base=2564&compare=2565&threshold=70")
        settle(page, "Criteria workbench", 1)
        page.screenshot(path=ARTIFACTS / "criteria.png")  # the cut points, the chart, the table's head
        criteria = sections.workbench(sample, 2565, 2564, 70, db.Filters(), "en")["criteria"]
        first = criteria[0]["criterion"]
        expected = sections.agencies_below(sample, 2565, first, 70, 2564, db.Filters())["agencies"]
        assert expected, "the first criterion has agencies below 70% in the sample"
        table = page.locator("[data-testid=stDataFrame]").first
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection marker
        expect(page.locator("h2").filter(has_text=f"on {first} ")).to_be_visible(timeout=30_000)
        expect(page).to_have_url(re.compile(f"criterion={re.escape(first)}"))
        agencies = page.locator("[data-testid=stDataFrame]").nth(1)
        agencies.scroll_into_view_if_needed()
        expect(agencies).to_contain_text(expected[0]["agency_code"], timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=ARTIFACTS / "criteria_below.png")

        # a click on the chart's leftmost point (the hardest criterion, clear of the others) opens it
        drawn = [c for c in criteria if c["discrimination"] is not None]
        left = min(drawn, key=lambda c: c["mean_pct"])
        assert left["criterion"] != first  # so the heading can only change by the click
        traces = [flag for flag in charts.FLAG_COLOURS if any(c["flag"] == flag for c in drawn)]
        at = [c["criterion"] for c in drawn if c["flag"] == left["flag"]].index(left["criterion"])
        chart = page.locator(".js-plotly-plot").first
        point = chart.locator("g.scatterlayer g.trace").nth(traces.index(left["flag"])).locator("path.point").nth(at)
        point.scroll_into_view_if_needed()
        box = point.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(page.locator("h2").filter(has_text=f"on {left['criterion']} ")).to_be_visible(timeout=30_000)
        expect(page).to_have_url(re.compile(f"criterion={re.escape(left['criterion'])}"))
    finally:
        page.close()


@pytest.mark.browser  # the app's server and chromium
def test_a_click_on_one_of_strengths_lowest_criteria_opens_it_on_the_criteria_page(app_url, browser, sample):  # noqa: F811
    page: Page = browser.new_page(viewport={"width": 1440, "height": 2000})
    try:
        page.goto(f"{app_url}/strengths?lang=en&threshold=70")
        settle(page, "Strengths and weaknesses", 3)
        lowest = sections.lowest_criteria(sample, db.Filters(), 2565, 70)["criterion"][0]
        table = page.locator("[data-testid=stDataFrame]").first
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection marker
        settle(page, "Criteria workbench", 1)
        expect(page).to_have_url(re.compile(rf"/criteria\?.*threshold=70.*criterion={re.escape(lowest)}"))
        expect(page.locator("h2").filter(has_text=f"Agencies below 70% on {lowest} ")).to_be_visible()
    finally:
        page.close()


def test_the_criteria_chart_draws_each_flag_in_its_colour_and_leaves_out_what_has_no_height():
    import pandas as pd

    crit = pd.DataFrame(
        {
            "criterion": ["1.1", "2.1", "3.1", "3.2"],
            "name": ["a", "b", "c", "d"],
            "mean_pct": [80.0, 40.0, 45.0, 30.0],
            "discrimination": [0.6, 0.5, 0.1, None],  # 3.2: too few agencies, no r
            "flag": ["none", "hard", "unclear", "unclear"],
        }
    )
    fig = charts.criteria_map(crit, "en", threshold=60, cut=0.25)
    drawn = {trace.name: (list(trace.customdata[:, 0]), trace.marker.color) for trace in fig.data}
    assert drawn == {
        "unclear": (["3.1"], charts.FLAG_COLOURS["unclear"]),
        "hard": (["2.1"], charts.FLAG_COLOURS["hard"]),
        "no flag": (["1.1"], charts.FLAG_COLOURS["none"]),
    }
    assert sorted((s.x0, s.y0) for s in fig.layout.shapes) == [(0, 0.25), (60, 0)]
    assert fig.layout.yaxis.range[0] == pytest.approx(-0.05)  # from 0, with a margin


def test_the_criteria_link_holds_codes():
    from dashboard.views import links

    state = {"lang": "en", "compare": 2565, "threshold": 65, "crit_cat": 3, "crit_flags": ["unclear", "hard"]}
    state["criterion"] = "3.1"
    written = links.write(state, links.spec("criteria"))
    assert written == {
        "lang": "en",
        "compare": "2565",
        "threshold": "65",
        "cat": "3",
        "flag": ["unclear", "hard"],
        "criterion": "3.1",
    }
    raw = {k: v if isinstance(v, list) else [v] for k, v in written.items()} | {"flag": ["unclear", "hard", "odd"]}
    read, rejected = links.read(raw, links.spec("criteria"), {"flag": sections.FLAGS})
    assert read == state and rejected == [("flag", "odd")]
