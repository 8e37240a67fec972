"""Charts that read on a laptop and a phone (issue 19, point 13), measured in chromium at 1440×900 and
390×844 in both languages by the boxes the browser lays out. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import pytest

from tests.test_browser import ARTIFACTS, app_url, browser, settle  # noqa: F401 (fixtures)
from tests.test_browser_cards import PAGES, SIZES

pytestmark = pytest.mark.browser  # the app's server and chromium
CHART_PAGES = {**PAGES, "strengths": ("/strengths?", {"en": "Strengths and weaknesses", "th": "จุดแข็งและจุดอ่อน"}, 3)}
# Boxes of a chart's parts, as the browser lays them out (left, top, right, bottom)
BOXES = """(plot) => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const all = s => [...plot.querySelectorAll(s)].map(box);
  return {whole: box(plot.querySelector('.main-svg')), drag: box(plot.querySelector('rect.nsewdrag')),
    ytitle: all('g.g-ytitle text'), yticks: all('g.ytick text'), modebar: all('.modebar'),
    notes: [...plot.querySelectorAll('g.annotation')].map(e => [e.textContent, box(e)])}; }"""
# Every chart title on the page: Plotly's (in the drawing) and a heading (h4) the page gives instead
TITLES = """() => [...document.querySelectorAll('.gtitle, [data-testid=stMarkdownContainer] h4')]
  .filter(e => e.textContent.trim())
  .map(e => { const r = e.getBoundingClientRect(); return [e.textContent, [r.left, r.top, r.right, r.bottom]]; })"""


def _open(browser, app_url, page: str, lang: str, size: str):  # noqa: F811
    context = browser.new_context(viewport=SIZES[size])
    tab = context.new_page()
    path, titles, charts = CHART_PAGES[page]
    tab.goto(f"{app_url}{path}lang={lang}")
    settle(tab, titles[lang], charts)
    return context, tab


def _whole_page(tab, name: str) -> None:
    """A screenshot of the whole page for a person to look at: Streamlit scrolls inside its own
    container, so the window is made as tall as the page (at the same width) first."""
    height = tab.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    tab.set_viewport_size({"width": tab.viewport_size["width"], "height": min(height, 8000)})
    tab.wait_for_timeout(500)
    tab.screenshot(path=ARTIFACTS / name)


def _meet(a, b) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


def _boxes(tab, plot) -> dict:
    plot.scroll_into_view_if_needed()
    return tab.evaluate(BOXES, plot.element_handle())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_trends_names_stay_on_the_chart_and_off_the_axis(browser, app_url, lang, size):  # noqa: F811
    """The mean total's name at its line's end, 'ภาพรวม (ค่าเฉลี่ยคะแนนรวม)', ran off a phone's screen
    ('ทุกหมวด'/'Overall' now); the y axis's title is to stand clear of its labels (the cut-offs' names
    among them)."""
    context, tab = _open(browser, app_url, "trends", lang, size)
    try:
        plot = tab.locator(".js-plotly-plot").first
        seen = _boxes(tab, plot)
        plot.screenshot(path=ARTIFACTS / f"chart_trend_ends_{lang}_{size}.png")
        whole = seen["whole"]
        assert len(seen["notes"]) == 8  # the sample's seven categories and the mean total
        off = [text for text, box in seen["notes"] if box[0] < whole[0] or box[2] > whole[2] + 1]
        assert off == [], (off, whole)
        assert [t for t in seen["yticks"] if any(_meet(t, title) for title in seen["ytitle"])] == []
        # the names take their own width, no more: a fixed 120 px margin left the English plot 96 px
        drawn = seen["drag"]
        assert drawn[2] - drawn[0] >= 0.4 * (whole[2] - whole[0]), (drawn, whole)
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_result_items_boxes_are_not_squashed(browser, app_url, lang, size):  # noqa: F811
    """Category 7's box chart on Strengths: the items' names, turned, took most of the figure's height
    (the plot was 112 of 420 px at 1440, 64 at 390)."""
    context, tab = _open(browser, app_url, "strengths", lang, size)
    try:
        plot = tab.locator(".js-plotly-plot").nth(2)  # the heatmap, the lowest criteria, the result items
        seen = _boxes(tab, plot)
        plot.screenshot(path=ARTIFACTS / f"chart_items_{lang}_{size}.png")
        drawn, whole = seen["drag"], seen["whole"]
        assert drawn[3] - drawn[1] >= 0.5 * (whole[3] - whole[1]), (drawn, whole)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("n,name", [(0, "heatmap"), (1, "lowest")])
def test_strengths_charts_are_not_strips_on_a_phone(browser, app_url, lang, n, name):  # noqa: F811
    """On a 390 px phone the category heatmap's names took 290 of 358 px and ran off the screen's
    left edge, the lowest criteria's names left their bars 64 px (as the Overview's dumbbell did)."""
    context, tab = _open(browser, app_url, "strengths", lang, "390")
    try:
        plot = tab.locator(".js-plotly-plot").nth(n)
        seen = _boxes(tab, plot)
        plot.screenshot(path=ARTIFACTS / f"chart_{name}_{lang}_390.png")
        drawn, whole = seen["drag"], seen["whole"]
        assert drawn[2] - drawn[0] >= 0.45 * (whole[2] - whole[0]), (drawn, whole)
        assert min(t[0] for t in seen["yticks"]) >= whole[0]  # no name off the screen's edge
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["th", "en"])
def test_no_axis_label_runs_off_an_overview_chart(browser, app_url, lang, size):  # noqa: F811
    """The level shares' '100%' stood half off the chart's right edge (a 10 px margin) and was cut."""
    context, tab = _open(browser, app_url, "overview", lang, size)
    try:
        for n, plot in enumerate(tab.locator(".js-plotly-plot").all()):
            seen = tab.evaluate(BOXES.replace("g.ytick text", "g.ytick text, g.xtick text"), plot.element_handle())
            whole = seen["whole"]
            assert [t for t in seen["yticks"] if t[0] < whole[0] - 1 or t[2] > whole[2] + 1] == [], n
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("page", ["overview", "trends", "strengths"])
def test_on_a_phone_no_toolbar_covers_a_chart_title_and_titles_fit(browser, app_url, page, lang):  # noqa: F811
    """Plotly's toolbar showed over the chart's title when a chart was touched, and a long title ran
    off the screen (Plotly does not wrap it)."""
    context, tab = _open(browser, app_url, page, lang, "390")
    try:
        plots = tab.locator(".js-plotly-plot")
        for n in range(plots.count()):
            plots.nth(n).scroll_into_view_if_needed()
            plots.nth(n).hover()  # a tap on a phone
            tab.wait_for_timeout(300)
            bars = [b for b in _boxes(tab, plots.nth(n))["modebar"] if b[2] > b[0]]
            titles = tab.evaluate(TITLES)
            assert [text for text, box in titles if any(_meet(box, bar) for bar in bars)] == [], n
        titles = tab.evaluate(TITLES)
        assert len(titles) == plots.count()
        assert [text for text, box in titles if box[2] > SIZES["390"]["width"]] == []
        _whole_page(tab, f"chart_titles_{page}_{lang}_390.png")
    finally:
        context.close()


# Card values Streamlit ends with an ellipsis ("313.2 / 5…")
CUT_VALUES = """() => [...document.querySelectorAll('[data-testid=stMetricValue]')].flatMap(value =>
  [value, ...value.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => value.innerText))"""


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("page", ["overview", "agency"])
def test_on_a_phone_the_first_chart_is_near_the_top(browser, app_url, page, lang):  # noqa: F811
    """The Overview's seven key-number cards, one under another, put the dumbbell's top 1,344 px down
    a 844 px screen (the Agency page's four, its profile 1,355 px): two to a row bring it within a
    screen and a half, each card's number whole."""
    context, tab = _open(browser, app_url, page, lang, "390")
    try:
        top = tab.evaluate("() => document.querySelector('.js-plotly-plot').getBoundingClientRect().top")
        cut = tab.evaluate(CUT_VALUES)
        _whole_page(tab, f"{page}_phone_{lang}_390.png")
        assert top <= 1.5 * SIZES["390"]["height"], top
        assert cut == []
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_no_card_cuts_the_foot_of_its_thai_value(browser, app_url, size):  # noqa: F811
    """The Agency page's level card reads 'พื้นฐาน': Streamlit clips a card's value at its line box, which
    cut the tail of ฐ (it reaches below the font's descent, so no box the browser reports shows it). The
    lower half of each value and the band under it are photographed as they are and again with the
    clipping switched off: a glyph cut off is drawn only in the second."""
    context, tab = _open(browser, app_url, "agency", "th", size)
    try:
        values = tab.locator("[data-testid=stMetricValue]")
        assert "พื้นฐาน" in values.all_inner_texts()
        # only the values are drawn: a card's label, change and help cannot change between the photographs
        tab.add_style_tag(content="[data-testid=stMetricDelta], [data-testid=stMetricLabel] { visibility: hidden }")
        for value in values.all():
            value.scroll_into_view_if_needed()
            tab.wait_for_timeout(300)  # the scroll has ended: both photographs are of one place
            text = value.locator("p").first.bounding_box()  # the value's words, not the card's other parts
            assert text["height"] > 20, text
            foot = {"x": text["x"], "y": text["y"] + text["height"] / 2, "width": text["width"]}
            foot["height"] = text["height"]  # its lower half, and as much again under it
            clipped = tab.screenshot(clip=foot, animations="disabled", caret="hide")
            value.evaluate("v => v.querySelectorAll('*').forEach(e => { e.style.overflow = 'visible'; })")
            tab.wait_for_timeout(100)
            assert tab.screenshot(clip=foot, animations="disabled", caret="hide") == clipped, value.inner_text()
    finally:
        context.close()
