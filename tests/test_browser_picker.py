"""Explore's agency picker above 500 agencies, in chromium (issue 19, point 7): one search box that
finds an agency by code or by Thai name (the large folder has no English names), each match clicked
added to the choice, the chosen ones as pills. It used to be a search box and then a multiselect
holding only what the search found: typing into the second, as anyone would, answered "No results".
The folder is bench's 8,000 agencies (codes L00000..L07999, names อปท. 00000..); screenshots in both
languages at 1440 and 390 px go to tests/artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from bench.__main__ import write_large
from tests.test_browser import ARTIFACTS, browser, settle  # noqa: F401 (fixtures)
from tests.test_identity import start_app

pytestmark = pytest.mark.browser  # the app's server and chromium
AGENCIES = 8_000
WORDS = {
    "th": ("สำรวจและส่งออกข้อมูล", "พิมพ์รหัสหรือชื่อ…", "แถว · 2 หน่วยงาน"),
    "en": ("Explore and export", "Type a code or a name…", "rows · 2 agencies"),
}


@pytest.fixture(scope="module")
def large_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("large")
    write_large(folder, AGENCIES, 2)
    server, serving = start_app("--data", folder, log="server_picker.log")
    yield from serving


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("lang", ["th", "en"])
def test_explore_finds_agencies_in_one_box(browser, large_url, lang, width):  # noqa: F811
    title, placeholder, two = WORDS[lang]
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 844})
    page: Page = context.new_page()
    page.goto(f"{large_url}/explore?lang={lang}&years=2565")
    settle(page, title)
    main = page.locator("[data-testid=stMain]")
    assert main.locator("[data-testid=stMultiSelect]").count() == 2  # the years and categories only
    search = main.get_by_placeholder(placeholder)
    assert search.count() == 1  # one box to type into

    search.fill("l00042")  # a code, in another case
    match = main.locator("[data-testid=stRadio] label").filter(has_text="L00042")
    match.first.click()
    expect(main.locator("[data-testid=stButtonGroup]").get_by_text("L00042", exact=False)).to_be_visible()
    expect(search).to_have_value("")  # the search empties once an agency is added

    search.fill("อปท. 07999")  # a Thai name
    main.locator("[data-testid=stRadio] label").filter(has_text="L07999").first.click()
    settle(page, title)
    expect(main.get_by_text(two, exact=False)).to_be_visible()  # the table holds the two agencies
    search.fill("อปท. 0001")  # a list of matches open, as a person sees it while choosing
    expect(main.locator("[data-testid=stRadio] label").filter(has_text="L00019")).to_be_visible()
    settle(page, title)
    page.screenshot(path=ARTIFACTS / f"explore_search_8000_{lang}_{width}.png")
    context.close()
