"""What a Thai reader sees in chromium (issue 19, points 9 and 11): downloads named in Thai whole,
the app's own words in Thai, the document's language. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import gzip
import io
import re
import urllib.request
from urllib.parse import quote

import openpyxl
import pytest
from playwright.sync_api import Page

from tests.test_browser import ARTIFACTS, app_url, browser, settle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser  # the app's server and chromium
GROUP = "กระทรวงการคลัง"


@pytest.fixture
def page(browser) -> Page:  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


def test_a_thai_download_keeps_its_name_and_reads_in_thai(page, app_url):  # noqa: F811
    """Point 11: the file name lost its vowels (กล-มจ-งหว-ด); the XLSX's headers were codes."""
    page.goto(f"{app_url}/explore?years=2565&cats=1&groups={quote(GROUP)}")
    settle(page, "สำรวจและส่งออกข้อมูล")
    page.screenshot(path=ARTIFACTS / "explore_labels_th.png")
    with page.expect_download() as info:
        page.get_by_role("button", name="ดาวน์โหลด XLSX").click()
    download = info.value
    assert download.suggested_filename == f"pmqa_agency_2565_cat1_{GROUP}_synthetic.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    assert book.sheetnames == ["ข้อมูล", "เกี่ยวกับไฟล์นี้"]
    header = [c.value for c in book["ข้อมูล"][1]]
    assert header[:5] == ["ปี", "รหัส", "ชื่อ (ไทย)", "ชื่อ (อังกฤษ)", "ประเภท"]
    assert {r[4] for r in book["ข้อมูล"].iter_rows(min_row=2, values_only=True)} <= {"ส่วนราชการระดับกรม", "องค์การมหาชน"}


def _words_seen(page: Page) -> dict:
    return page.evaluate(
        """() => ({lang: document.documentElement.lang, text: document.body.innerText,
        labels: [...document.querySelectorAll('[aria-label],[placeholder]')]
          .map(e => (e.getAttribute('aria-label') || '') + ' ' + (e.getAttribute('placeholder') || '')).join(' ')})"""
    )


@pytest.mark.parametrize("lang", ["th", "en"])
def test_streamlits_own_words_and_the_documents_language_follow_the_reader(page, app_url, lang):  # noqa: F811
    """Point 9: a Thai page said "Select all", "No results", "Choose an option", "Skip to main
    content" and the grid's "Search", under <html lang="en">."""
    title = "สำรวจและส่งออกข้อมูล" if lang == "th" else "Explore and export"
    page.goto(f"{app_url}/explore?lang={lang}&years=2565")
    settle(page, title)
    page.locator("[data-testid=stMultiSelect]").last.click()  # the agencies: a long list, "Select all" on top
    page.keyboard.type("zzzz-no-such-agency")
    page.wait_for_timeout(800)
    seen = _words_seen(page)
    page.screenshot(path=ARTIFACTS / f"streamlit_words_{lang}.png")
    page.keyboard.press("Escape")
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.hover()
    page.wait_for_timeout(500)
    toolbar = _words_seen(page)
    page.screenshot(path=ARTIFACTS / f"streamlit_grid_{lang}.png")
    assert seen["lang"] == lang
    english = ("No results", "Skip to main content", "Choose an option", "Select all", "Search", "Download as CSV")
    if lang == "th":
        assert "ไม่พบรายการที่ตรงกัน" in seen["text"]
        for word in english:
            assert word not in seen["text"] + seen["labels"] + toolbar["labels"], word
    else:
        assert "No results" in seen["text"]


def _served_lang(url: str) -> str:
    """The lang attribute of the HTML the server sends, read from the raw bytes (no script run),
    asked for as a browser asks (gzip accepted)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        body = answer.read()
        if answer.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
    return re.search(rb"<html lang=\"([^\"]*)\"", body).group(1).decode()


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("/", "th"),
        ("/?lang=en", "en"),
        ("/?lang=th", "th"),
        ("/?lang=fr", "th"),
        ("/agency?lang=en&base=2563&compare=2565", "en"),
        ("/explore", "th"),
    ],
)
def test_the_served_html_is_in_the_links_language(app_url, path, lang):  # noqa: F811
    """Point 9: Streamlit serves `<html lang="en">` to every page; the app's script set the right one
    only once it ran, so a screen reader or a translation offer read a Thai page as English first."""
    assert _served_lang(app_url + path) == lang
