"""The Scenarios page (issue 18) in Streamlit's AppTest and in chromium, on test_scenarios' fixture.

The link's proposal drops 4.1, doubles 7.1's maximum (its scores doubled) and lowers advance to 60
(basic 50 and significance 90 stay). Worked out by hand from tests/test_scenarios.SCORES:

    agency  now: %, level          proposed: 1.1 + 2 × 7.1 over 10 + 20
    A       80.0  advance          8 + 12 = 20/30  66.7  advance
    B       60.0  basic            5 + 6  = 11/30  36.7  below
    C       53.3  basic            4 + 4  =  8/30  26.7  below
    D       90.0  significance     9 + 18 = 27/30  90.0  significance
    E       85.0  advance          7 + —  =  7/10  70.0  advance (not assessed on 7.1)
    F       20.0  below            3 + 2  =  5/30  16.7  below
    G       66.7  basic            6 + 8  = 14/30  46.7  below

Now: below 1, basic 3, advance 2, significance 1; proposed: below 4, basic 0, advance 2, significance 1.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.test_app import APP, open_page, texts
from tests.test_browser import ARTIFACTS, app_url, browser, settle  # noqa: F401 (fixtures)
from tests.test_identity import AUTH
from tests.test_scenarios import folder  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser  # AppTest and chromium: not in `make test-fast`

LINKED = {"name_th": "ตัด 4.1", "name_en": "Drop 4.1", "cutoffs": {"advance": 60}, "criteria": {"1.1": 10, "7.1": 20}}
NOW = ["1 (14.3%)", "3 (42.9%)", "2 (28.6%)", "1 (14.3%)"]
PROPOSED = ["4 (57.1%)", "0 (0.0%)", "2 (28.6%)", "1 (14.3%)"]


@pytest.fixture(autouse=True)
def _sample_by_default(monkeypatch):
    monkeypatch.delenv("PMQA_DATA", raising=False)


def level_table(at):
    (table,) = [df.value for df in at.dataframe if "Level" in df.value.columns or "ระดับ" in df.value.columns]
    return table


@pytest.mark.parametrize("lang", ["th", "en"])
def test_without_a_proposal_the_page_says_what_to_do(lang):
    at = open_page("scenarios", lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    said = "Edit proposal A's tables" if lang == "en" else "แก้ตารางของข้อเสนอ ก"
    assert said in texts(at)


def test_a_linked_proposal_shows_every_level_now_and_proposed(folder, monkeypatch):  # noqa: F811
    at = open_page("scenarios", folder, monkeypatch, lang="en", compare="2565", a=json.dumps(LINKED))
    assert not at.exception, [e.value for e in at.exception]
    table = level_table(at)
    assert table["Level"].tolist() == ["Below the first level", "Basic", "Advance", "Significance"]
    assert (table["Now"].tolist(), table["Drop 4.1"].tolist()) == (NOW, PROPOSED)
    moved = [df.value for df in at.dataframe if "agency_code" in df.value.columns][0]
    assert moved["agency_code"].tolist() == ["B", "C", "G"]
    assert set(moved["proposed_level"]) == {"Below the first level"}
    assert "3 of 7 agencies change level" in texts(at)
    # the category means: 4.1 dropped has no proposed mean; 7.1 doubled is the same share as before
    cats = [df.value for df in at.dataframe if "Category" in df.value.columns][0].set_index("Category")
    assert len(cats) == 3 and pd.isna(cats.iloc[1]["Drop 4.1"])  # categories 1, 4, 7: 4 has no proposed mean
    assert cats.iloc[-1]["Drop 4.1 ± pts"] == 0
    assert at.query_params["a"] == json.dumps(LINKED, ensure_ascii=False, separators=(",", ":"))  # kept in the link


def test_a_broken_linked_proposal_is_said_and_the_page_starts_from_the_year(folder, monkeypatch):  # noqa: F811
    at = open_page("scenarios", folder, monkeypatch, lang="en", compare="2565", a='{"criteria": {"1.1": -1}}')
    assert not at.exception, [e.value for e in at.exception]
    assert "cannot be read, so it starts from the year's scheme" in texts(at)
    assert "the maximum must be a number above zero" in texts(at)  # the check a file gets


def test_a_viewer_sees_the_counts_but_no_agency_list(folder, tmp_path, monkeypatch):  # noqa: F811
    from streamlit.testing.v1 import AppTest

    roles = tmp_path / "roles.toml"
    roles.write_text('[[person]]\nemail = "viewer@example.org"\nrole = "viewer"\nscope = "all"\n', encoding="utf-8")
    monkeypatch.setenv("PMQA_DATA", str(folder))
    monkeypatch.setenv("PMQA_ROLES", str(roles))
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(tmp_path / "audit"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "viewer@example.org", "email_verified": True, "sub": "v", "iat": 1}
    at.switch_page("app_pages/scenarios.py")
    for key, value in {"lang": "en", "compare": "2565", "a": json.dumps(LINKED)}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert level_table(at)["Drop 4.1"].tolist() == PROPOSED
    assert "needs the analyst role" in texts(at)
    assert not [df for df in at.dataframe if "agency_code" in df.value.columns]


@pytest.mark.parametrize("lang, width", [("th", 1440), ("en", 390)])
def test_a_linked_proposal_in_chromium(app_url, browser, lang, width):  # noqa: F811
    proposal = {"name_th": "ข้อเสนอ ก", "name_en": "Proposal A", "cutoffs": {"advance": 60}}
    proposal["criteria"] = {c: 10 for c in ("1.1.1", "1.1.2", "1.1.3", "1.2.1", "7.1", "7.2")}
    page: Page = browser.new_page(viewport={"width": width, "height": 1800})
    try:
        page.goto(f"{app_url}/scenarios?lang={lang}&compare=2565&a={json.dumps(proposal)}")
        title = "สถานการณ์จำลองการปรับเกณฑ์" if lang == "th" else "Revision scenarios"
        settle(page, title, 1)
        expect(page.locator(".js-plotly-plot").first).to_contain_text("Proposal A" if lang == "en" else "ข้อเสนอ ก")
        page.screenshot(path=ARTIFACTS / f"scenarios_{lang}_{width}.png", full_page=True)
    finally:
        page.close()


def test_the_brief_made_on_the_page_carries_the_scenario(folder, monkeypatch):  # noqa: F811
    import io

    import openpyxl

    at = open_page("scenarios", folder, monkeypatch, lang="en", base="2564", compare="2565", a=json.dumps(LINKED))
    at.button_group(key="brief_fmt").set_value(".xlsx").run()
    at.button(key="brief_make").click().run()
    assert not at.exception and len(at.get("download_button")) == 2  # the proposal's file, the brief
    book = openpyxl.load_workbook(io.BytesIO(at.session_state["_brief"][2]))
    levels = [[c.value for c in row] for row in book["Scenario 1"].iter_rows(min_row=2, max_row=5)]
    assert [(r[1], r[3]) for r in levels] == [(1, 4), (3, 0), (2, 2), (1, 1)]  # the docstring's counts
    moved = [row[0].value for row in book["Scenario 1 changes"].iter_rows(min_row=2) if row[0].value]
    assert moved == ["B", "C", "G"]


def test_two_proposals_side_by_side(folder, monkeypatch):  # noqa: F811
    """B keeps every criterion and only raises basic to 55: C (53.3 %) falls below; nobody else moves."""
    second = {"name_en": "Raise basic", "cutoffs": {"basic": 55}}
    at = open_page(
        "scenarios", folder, monkeypatch, lang="en", compare="2565", a=json.dumps(LINKED), b=json.dumps(second)
    )
    assert not at.exception, [e.value for e in at.exception]
    table = level_table(at)
    assert table["Drop 4.1"].tolist() == PROPOSED
    assert table["Raise basic"].tolist() == ["2 (28.6%)", "2 (28.6%)", "2 (28.6%)", "1 (14.3%)"]
    moved = [df.value for df in at.dataframe if "agency_code" in df.value.columns]
    assert [m["agency_code"].tolist() for m in moved] == [["B", "C", "G"], ["C"]]


def test_two_proposals_of_one_name_keep_a_column_each(folder, monkeypatch):  # noqa: F811
    """Two proposals both called "Drop 4.1" (one raising basic to 55 as well): each keeps its column,
    the second told apart by its tab. Before, the second overwrote the first's counts."""
    twin = LINKED | {"cutoffs": {**LINKED.get("cutoffs", {}), "basic": 55}}
    at = open_page(
        "scenarios", folder, monkeypatch, lang="en", compare="2565", a=json.dumps(LINKED), b=json.dumps(twin)
    )
    assert not at.exception, [e.value for e in at.exception]
    table = level_table(at)
    assert list(table.columns[-2:]) == ["Drop 4.1", "Drop 4.1 (Proposal B)"]
    assert table["Drop 4.1"].tolist() == PROPOSED


def test_the_done_when_in_chromium_uploads_a_proposal_and_its_indicator(app_url, browser, sample, tmp_path):  # noqa: F811
    """The issue's 'done when', as a person does it: on the sample's 2565, upload a proposal that drops a
    criterion, raises 7.1's maximum and adds 7.7 fed by digital_readiness, with an indicators file; the
    page gives the same levels and movers as the views (pmqa whatif's), and names both files."""
    from dashboard.data import proposal as proposals
    from dashboard.views import sections

    criteria = {c["criterion"]: c["max_score"] for c in sections.year_criteria(sample, 2565, "en")}
    criteria.pop("4.1.1")
    criteria |= {"7.1": 2 * criteria["7.1"], "7.7": 20}
    doc = {"name_en": "Digital", "name_th": "ดิจิทัล", "criteria": criteria, "sources": {"7.7": "digital_readiness"}}
    (tmp_path / "digital.json").write_text(json.dumps(doc), encoding="utf-8")
    codes = [r["agency_code"] for r in sample.records("agency_list")][:40]
    lines = ["agency_code,fiscal_year,indicator,value"] + [
        f"{c},2565,digital_readiness,{(i * 37) % 101}" for i, c in enumerate(codes)
    ]
    (tmp_path / "indicators.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = sections.scenario(
        sample,
        2565,
        proposals.read(tmp_path / "digital.json"),
        proposals.read_indicators(tmp_path / "indicators.csv"),
        sections.Filters(),
        "en",
    )
    page: Page = browser.new_page(viewport={"width": 1440, "height": 2400})
    try:
        page.goto(f"{app_url}/scenarios?lang=en&base=2564&compare=2565")
        settle(page, "Revision scenarios")
        page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(tmp_path / "indicators.csv")
        expect(page.get_by_text("indicators.csv").first).to_be_visible(timeout=30_000)
        settle(page, "Revision scenarios")  # each upload reruns the page: act once it has
        page.get_by_text("Upload a JSON file").first.click()
        expect(page.locator("[data-testid=stFileUploaderDropzoneInput]")).to_have_count(2, timeout=30_000)
        page.locator("[data-testid=stFileUploaderDropzoneInput]").nth(1).set_input_files(tmp_path / "digital.json")
        settle(page, "Revision scenarios", 1)
        moved = len(expected["changes"])
        expect(page.get_by_text(f"{moved} of 255 agencies change level")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("digital.json").first).to_be_visible()  # the uploaded files are named
        expect(page.get_by_text("indicators.csv").first).to_be_visible()
        page.screenshot(path=ARTIFACTS / "scenarios_uploaded_en.png", full_page=True)
    finally:
        page.close()


def test_a_proposals_name_from_a_link_is_text_not_markup(folder, monkeypatch):  # noqa: F811
    """A shared link's name could otherwise draw a link, fetch an image or bold text on the page."""
    from dashboard.outputs import charts

    hostile = "**BIG** [click](http://evil.example) ![x](http://127.0.0.1:9/p.png) <b>h</b>"
    linked = LINKED | {"name_en": hostile}
    at = open_page("scenarios", folder, monkeypatch, lang="en", compare="2565", a=json.dumps(linked))
    assert not at.exception, [e.value for e in at.exception]
    labels = [tab.label for tab in at.tabs]
    assert hostile not in labels and any("\\*\\*BIG\\*\\*" in label for label in labels)  # escaped
    figure = charts.scenario_levels([("Now", []), (hostile, [])], "en")
    assert (
        figure.data[1].name
        == "**BIG** [click](http://evil.example) ![x](http://127.0.0.1:9/p.png) &lt;b&gt;h&lt;/b&gt;"
    )
    assert hostile not in figure.data[1].hovertemplate  # the name is not part of the template
