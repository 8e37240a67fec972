"""The key-number cards read whole (issue 19, point 9): in chromium at a laptop's 1440×900 and a
phone's 390×844, in both languages, no card's label is cut off with an ellipsis, and the Overview's
level cards say they are shares of agencies. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.test_browser import ARTIFACTS, app_url, browser, settle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser  # the app's server and chromium
SIZES = {"1440": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}
PAGES = {  # path and query, the page's title in each language, the charts it draws
    "overview": ("/?", {"en": "Overview", "th": "ภาพรวม"}, 2),
    "trends": ("/trends?", {"en": "Category trends", "th": "แนวโน้มรายหมวด"}, 3),
    "agency": ("/agency?agency=D010&", {"en": "Agency drilldown", "th": "รายหน่วยงาน"}, 2),
}
# Each card label's text boxes that are narrower than their text: Streamlit ends those with "…"
CUT = """() => [...document.querySelectorAll('[data-testid=stMetricLabel]')].flatMap(label =>
  [label, ...label.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => label.innerText))"""


def _open(browser, app_url, page: str, lang: str, size: str):  # noqa: F811
    context = browser.new_context(viewport=SIZES[size])
    tab = context.new_page()
    path, titles, charts = PAGES[page]
    tab.goto(f"{app_url}{path}lang={lang}")
    settle(tab, titles[lang], charts)
    return context, tab


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_no_card_label_is_cut_off(browser, app_url, page, lang, size):  # noqa: F811
    context, tab = _open(browser, app_url, page, lang, size)
    try:
        expect(tab.locator("[data-testid=stMetricLabel]").first).to_be_visible()
        assert tab.evaluate(CUT) == []
        tab.screenshot(path=ARTIFACTS / f"cards_{page}_{lang}_{size}.png", full_page=size == "390")
    finally:
        context.close()


@pytest.mark.parametrize("lang,word", [("th", "หน่วยงาน"), ("en", "agencies")])
def test_the_level_cards_say_they_are_shares_of_agencies(browser, app_url, lang, word):  # noqa: F811
    context, tab = _open(browser, app_url, "overview", lang, "1440")
    try:
        labels = tab.locator("[data-testid=stMetricLabel]").all_inner_texts()
        assert len(labels) == 3 + 4  # three key numbers, then the sample's four levels (below the first too)
        assert all(word in label.lower() for label in labels[3:]), labels
    finally:
        context.close()


# A chart's drawn names (annotations) that overlap each other or a point, as the browser lays them out:
# each name against the others and the points; `ends` takes the line names only (the cut-offs' names
# end in %)
CLASHES = """([plot, ends]) => {
  const box = e => e.getBoundingClientRect();
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const notes = [...plot.querySelectorAll('g.annotation-text-g text')].map(e => [e.textContent, box(e)])
    .filter(([text]) => !ends || !text.endsWith('%'));
  const points = [...plot.querySelectorAll('path.point')].map(e => ['point', box(e)]);
  const found = [];
  notes.forEach(([a, ra], i) => [...notes.slice(i + 1), ...points].forEach(([b, rb]) => {
    if (meet(ra, rb)) found.push(a + ' / ' + b); }));
  return found; }"""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("page", ["overview", "trends"])
def test_a_charts_names_overlap_nothing(browser, app_url, page, lang, size):  # noqa: F811
    """The trend's line names (หมวด 1/6 and 2/3/5 printed over each other) and the dumbbell's cut-off
    names (พื้นฐาน 50% on category 7's points, and on each other on a phone); the trend's cut-off
    names, which sat on the first year's points, are the axis's own labels, off the plot."""
    context, tab = _open(browser, app_url, page, lang, size)
    try:
        plot = tab.locator(".js-plotly-plot").first
        plot.scroll_into_view_if_needed()
        plot.screenshot(path=ARTIFACTS / f"chart_{page}_{lang}_{size}.png")
        assert tab.evaluate(CLASHES, [plot.element_handle(), page == "trends"]) == []
        if page == "trends":  # no name but the lines' is drawn on the plot; the cut-offs' are the axis's
            title = plot.locator("g.g-ytitle text").bounding_box()
            ticks = [t.bounding_box() for t in plot.locator("g.ytick text").all()]
            assert not [t for t in ticks if t["x"] < title["x"] + title["width"] - 1], "the y title crosses its labels"
            assert all(not n.endswith("%") for n in plot.locator("g.annotation-text-g text").all_text_contents())
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_dumbbell_is_not_a_strip_on_a_phone(browser, app_url, lang):  # noqa: F811
    """On a 390 px phone the category names took most of the width: the plot of points was a strip
    (64 of 358 px). The axis now says "หมวด 1", the names in the hover and the table under the chart."""
    context, tab = _open(browser, app_url, "overview", lang, "390")
    try:
        plot = tab.locator(".js-plotly-plot").first
        drawn, whole = plot.locator("rect.nsewdrag").first.bounding_box(), plot.bounding_box()
        assert drawn["width"] >= 0.45 * whole["width"], (drawn["width"], whole["width"])
    finally:
        context.close()
