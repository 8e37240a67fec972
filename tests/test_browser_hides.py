"""What the pages used to hide (issue 19, points 4-6), in Debian's chromium at a laptop's 1440×900:
the dumbbell's hover, where a click lands, tables whose key columns were past the right edge.
Screenshots in both languages at 1440 and 390 px go to tests/artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.data import db
from dashboard.views import sections
from tests.test_browser import ARTIFACTS, app_url, browser, settle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser  # the app's server and chromium
LAPTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
TITLES = {
    "en": {"overview": "Overview", "strengths": "Strengths and weaknesses", "agency": "Agency drilldown"},
    "th": {"overview": "ภาพรวม", "strengths": "จุดแข็งและจุดอ่อน", "agency": "รายหน่วยงาน"},
}
# Each grid's width against the width its content needs (the grid scrolls sideways when it is less)
GRIDS = """() => [...document.querySelectorAll('[data-testid=stDataFrame]')].map(t => {
  const s = t.querySelector('.dvn-scroller');  // none in a collapsed expander
  return s && {needs: s.scrollWidth, has: s.clientWidth, right: t.getBoundingClientRect().right}; })"""


@pytest.fixture
def laptop(browser) -> Page:  # noqa: F811
    context = browser.new_context(viewport=LAPTOP)
    yield context.new_page()
    context.close()


def _in_view(page: Page, selector: str) -> bool:
    """Whether the element's top is on screen, below the app's toolbar, after the page stops moving."""
    element = page.locator(selector)
    expect(element).to_have_count(1, timeout=30_000)
    page.wait_for_timeout(1500)  # the page's own script brings the heading up over about a second
    box = element.bounding_box()
    return box is not None and 40 <= box["y"] < LAPTOP["height"] - 100


def _click_centre(page: Page, locator) -> None:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.mark.parametrize("lang,unit,change", [("en", "pts", "change"), ("th", "จุด", "เปลี่ยนแปลง")])
def test_the_dumbbells_hover_shows_both_years_and_the_change(laptop, app_url, sample, lang, unit, change):  # noqa: F811
    laptop.goto(f"{app_url}/?lang={lang}")
    settle(laptop, TITLES[lang]["overview"], 2)
    dumbbell = laptop.locator(".js-plotly-plot").first
    dumbbell.scroll_into_view_if_needed()
    point = dumbbell.locator("g.scatterlayer g.trace").last.locator("path.point").first  # category 7's row
    box = point.bounding_box()
    laptop.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    seven = next(c for c in sections.summary(sample, 2564, 2565)["categories"] if c["category"] == 7)
    said = dumbbell.locator(".hoverlayer")
    years = ("2564 (2021)", "2565 (2022)") if lang == "en" else ("2564", "2565")
    expect(said).to_contain_text(f"{years[0]}: {seven['base_mean_pct']:.1f}%")
    expect(said).to_contain_text(f"{years[1]}: {seven['compare_mean_pct']:.1f}%")
    expect(said).to_contain_text(f"{change}: {seven['delta_pts']:+.1f} {unit}")
    laptop.screenshot(path=ARTIFACTS / f"overview_hover_{lang}.png")


def test_a_click_on_category_7_lands_on_its_result_items(laptop, app_url):  # noqa: F811
    laptop.goto(f"{app_url}/?lang=en")
    settle(laptop, "Overview", 2)
    dumbbell = laptop.locator(".js-plotly-plot").first
    dumbbell.scroll_into_view_if_needed()
    _click_centre(laptop, dumbbell.locator("g.scatterlayer g.trace").last.locator("path.point").first)
    settle(laptop, "Strengths and weaknesses", 2)
    expect(laptop).to_have_url(re.compile(r"/strengths\?.*cat=7"))
    assert _in_view(laptop, "#results"), "category 7's result items are not on screen"
    laptop.screenshot(path=ARTIFACTS / "strengths_landed_on_results.png")


def test_a_click_on_a_lowest_criterion_bar_lands_on_its_agencies_below(laptop, app_url, sample):  # noqa: F811
    laptop.goto(f"{app_url}/strengths?lang=en&threshold=70")
    settle(laptop, "Strengths and weaknesses", 3)
    lowest = sections.lowest_criteria(sample, db.Filters(), 2565, 70)
    top = lowest.sort_values(["share_below_pct", "mean_pct"], ascending=[False, True])["criterion"].iloc[0]
    bars = laptop.locator(".js-plotly-plot").nth(1)
    _click_centre(laptop, bars.locator("g.point path").last)  # horizontal bars: the largest share on top
    settle(laptop, "Criteria workbench", 1)
    expect(laptop).to_have_url(re.compile(rf"/criteria\?.*threshold=70.*criterion={re.escape(top)}"))
    assert _in_view(laptop, "#below"), "the criterion's agencies below the threshold are not on screen"
    expect(laptop.locator("#below")).to_contain_text(f"Agencies below 70% on {top} ")


def test_a_click_on_the_agencys_profile_opens_that_category(laptop, app_url):  # noqa: F811
    laptop.goto(f"{app_url}/agency?lang=en&agency=D010")
    settle(laptop, "Agency drilldown", 2)
    profile = laptop.locator(".js-plotly-plot").first
    this_agency = profile.locator("g.scatterlayer g.trace").last.locator("path.point")  # categories 1-7
    _click_centre(laptop, this_agency.nth(2))
    settle(laptop, "Strengths and weaknesses", 3)
    expect(laptop).to_have_url(re.compile(r"/strengths\?.*cat=3"))
    assert _in_view(laptop, "#lowest"), "category 3's lowest criteria are not on screen"


def test_a_click_on_a_mover_brings_the_view_up_to_the_agency(laptop, app_url, sample):  # noqa: F811
    laptop.goto(f"{app_url}/agency?lang=en&agency=D010&cat=4")
    settle(laptop, "Agency drilldown", 2)
    first = sections.movers(sample, db.Filters(), 4, 2564, 2565)["rise"].agency_code[0]
    table = laptop.locator("[data-testid=stDataFrame]").nth(1)  # the criteria table (collapsed) is first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    laptop.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection marker
    expect(laptop.locator("#agency")).to_contain_text(first, timeout=30_000)
    assert _in_view(laptop, "#agency"), "the view stayed at the movers"


@pytest.mark.parametrize("lang", ["en", "th"])
def test_key_columns_are_on_screen_at_1440(laptop, app_url, lang):  # noqa: F811
    """Category 7's items (compare-year share below), the lowest criteria (assessed counts), the
    movers (compare % and the link): every column inside its grid, no sideways scrolling."""
    for path, page, tables in (("strengths?threshold=70&", "strengths", 2), ("agency?agency=D010&", "agency", 2)):
        laptop.goto(f"{app_url}/{path}lang={lang}")
        settle(laptop, TITLES[lang][page], 2 if page == "agency" else 3)
        grids = [g for g in laptop.evaluate(GRIDS) if g and g["has"]]
        assert len(grids) == tables, grids
        for grid in grids:
            assert grid["needs"] <= grid["has"] and grid["right"] <= LAPTOP["width"], (path, grid)
        laptop.locator("[data-testid=stDataFrame]").last.scroll_into_view_if_needed()
        laptop.screenshot(path=ARTIFACTS / f"{page}_tables_{lang}_1440.png")


@pytest.mark.parametrize("lang", ["en", "th"])
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1440", "390"])
def test_screenshots_of_the_overviews_change_per_category(browser, app_url, lang, viewport):  # noqa: F811
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?lang={lang}")
        settle(page, TITLES[lang]["overview"], 2)
        table = page.locator("[data-testid=stDataFrame]").first
        table.scroll_into_view_if_needed()
        expect(table).to_contain_text("7")
        page.screenshot(path=ARTIFACTS / f"overview_change_{lang}_{viewport['width']}.png")
    finally:
        context.close()
