"""The running app in a real browser: Debian's chromium driven by Playwright (never a download).

A screenshot of each page goes to tests/artifacts/ (ignored by git) so a person can look.
Streamlit scrolls inside its own container, so the viewport is tall rather than full-page.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from dashboard.data import db
from dashboard.views import sections
from tests.conftest import ROOT

pytestmark = pytest.mark.browser  # the app's server and chromium
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "overview": ("ภาพรวม", 2),
    "trends": ("แนวโน้มรายหมวด", 3),
    "strengths": ("จุดแข็งและจุดอ่อน", 3),
    "criteria": ("วิเคราะห์ประเด็นการประเมิน", 1),
    "scenarios": ("สถานการณ์จำลองการปรับเกณฑ์", 0),
    "agency": ("รายหน่วยงาน", 0),
    "explore": ("สำรวจและส่งออกข้อมูล", 0),
    "quality": ("คุณภาพข้อมูล", 0),
    "import_data": ("นำเข้าผลการประเมิน", 0),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PMQA_DATA"}
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "server.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "run", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        yield from _serve(server, f"http://127.0.0.1:{port}")


def _serve(server: subprocess.Popen, url: str):
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("the app did not start within 90 s; see tests/artifacts/server.log")
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    assert os.path.exists(CHROMIUM), "Debian's chromium is missing: `make test` installs it with apt-get"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 2600}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def settle(page: Page, title: str, charts: int = 0) -> None:
    """Wait until the page shows its title and draws its charts, and no script is running."""
    expect(page.locator("h1").filter(has_text=title)).to_be_visible(timeout=60_000)
    if charts:
        expect(page.locator(".js-plotly-plot")).to_have_count(charts, timeout=60_000)
    page.wait_for_function(  # lazily loaded widgets and tables show skeletons until they are drawn
        "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector('[data-testid=stSkeleton]')",
        timeout=60_000,
    )
    page.wait_for_timeout(500)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_in_the_browser(page, app_url, name):
    title, charts = PAGES[name]
    page.goto(f"{app_url}/{'' if name == 'overview' else name}")  # the Overview is the app's address itself
    settle(page, title, charts)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("Page not found").count() == 0  # Streamlit's dialog over a screenshot
    assert page.get_by_text("ข้อมูลตัวอย่างสังเคราะห์").count() == 1  # the synthetic banner
    assert page.evaluate("document.fonts.check('16px Sarabun')"), "the Thai web font did not load"
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def test_the_language_switch(page, app_url):
    page.goto(app_url)
    settle(page, "ภาพรวม", 2)
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    settle(page, "Overview", 2)
    expect(page).to_have_url(re.compile(r"lang=en"))
    expect(page.get_by_text("Strongest: categories 1, 4 and 6.", exact=False)).to_be_visible()
    page.screenshot(path=ARTIFACTS / "overview_en.png")


def test_a_copied_link_holds_codes_and_survives_a_language_switch(page, app_url):
    page.goto(f"{app_url}/?lang=en")
    settle(page, "Overview", 2)
    page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first.click()
    page.get_by_role("option", name="Province").click()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"types=province"))  # the code, not the label a person reads
    page.locator("[data-testid=stSidebar]").get_by_text("ไทย", exact=True).click()
    settle(page, "ภาพรวม", 2)
    expect(page).to_have_url(re.compile(r"lang=th.*types=province"))
    page.goto(page.url)
    settle(page, "ภาพรวม", 2)
    expect(page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first).to_contain_text("จังหวัด")


def test_a_sidebar_filter_changes_the_numbers(page, app_url, sample):
    page.goto(f"{app_url}/?lang=en")
    settle(page, "Overview", 2)
    page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first.click()
    page.get_by_role("option", name="Province").click()
    page.keyboard.press("Escape")
    provinces = sections.summary(sample, 2564, 2565, filters=db.Filters(agency_types=("province",)))
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Mean total")
    expect(metric).to_contain_text(f"{provinces['overall']['compare_mean_pct']:.1f}%", timeout=30_000)
    expect(page).to_have_url(re.compile(r"types=province"))  # written when the run ends


def test_a_link_with_query_parameters_opens_the_same_view(page, app_url):
    page.goto(f"{app_url}/trends?lang=en&compare=2564&base=2562&like=true")
    settle(page, "Category trends", 3)
    expect(page.get_by_text("All agencies, 2562 (2019) → 2564 (2021)")).to_be_visible()
    expect(page.get_by_text("agencies assessed every year", exact=False).first).to_be_visible()
    assert page.locator("[data-testid=stSidebar]").get_by_text("2564").count() >= 1


def test_the_agency_link_opens_its_drilldown(page, app_url):
    page.goto(f"{app_url}/agency?lang=en&agency=D010")
    settle(page, "Agency drilldown", 2)
    expect(page.locator("h3").filter(has_text="D010")).to_be_visible()


def test_a_download_delivers_what_is_shown(page, app_url, sample):
    page.goto(f"{app_url}/explore?lang=en&years=2565&cats=7")
    settle(page, "Explore and export")
    expected = sections.table(sample, "agency", db.Filters(years=(2565,), categories=(7,)), via="test")
    expect(page.get_by_text(f"{len(expected):,} rows")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "pmqa_agency_2565_cat7_synthetic.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(expected)
    assert {r["category"] for r in rows} == {"7"}


def test_the_app_listens_on_this_machine_only(app_url):
    port = int(app_url.rsplit(":", 1)[1])
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, and no other interface


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    """The app on a store made from the sample in two imports, then 2565 replaced: versions 0–2."""
    store_dir = tmp_path_factory.mktemp("browser") / "store"
    files = sorted(db.SAMPLE_DIR.glob("*.parquet"))
    for args in (files[:3], files[3:], [files[-1], "--replace"]):
        made = subprocess.run([sys.executable, "-m", "dashboard", "import", *map(str, args), "--data", str(store_dir)])
        assert made.returncode == 0
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PMQA_DATA"}
    with open(ARTIFACTS / "server_store.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "run", "--data", str(store_dir), "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        yield from _serve(server, f"http://127.0.0.1:{port}")


def test_a_store_shows_its_version_and_its_history(page, store_url):
    page.goto(f"{store_url}/quality?lang=en")
    settle(page, "Data quality")
    page.locator("[data-testid=stSidebar]").get_by_text("Data source").click()
    expect(page.get_by_text("Store: store · version 2 (the latest)", exact=False)).to_be_visible()
    expect(page.get_by_text("Versions of the store")).to_be_visible()
    history = page.locator("[data-testid=stDataFrame]").last
    history.scroll_into_view_if_needed()
    expect(history).to_contain_text("replace", timeout=30_000)
    page.screenshot(path=ARTIFACTS / "quality_store_en.png")


def test_a_large_table_shows_a_window_and_downloads_every_row(page, app_url, sample):
    page.goto(f"{app_url}/explore?lang=en&years=2565")
    settle(page, "Explore and export")
    expected = sections.table(sample, "agency", db.Filters(years=(2565,)), via="test")
    assert len(expected) > 1_000  # more rows than the page shows
    expect(page.get_by_text(f"Showing the first 1,000 of {len(expected):,} rows")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(expected)


@pytest.mark.parametrize("lang,unit,total", [("en", "pts", "Total, 2565 (2022)"), ("th", "จุด", "คะแนนรวม ปี 2565")])
def test_a_typed_link_opens_the_drilldown_for_its_year_pair(page, app_url, sample, lang, unit, total):
    page.goto(f"{app_url}/agency?lang={lang}&base=2563&compare=2565&agency=D010")
    settle(page, "Agency drilldown" if lang == "en" else "รายหน่วยงาน", 2)
    head = sections.agency_headline(sample, "D010", "department", 2563, 2565)
    metric = page.locator("[data-testid=stMetric]").filter(has_text=total)
    expect(metric).to_contain_text(f"{head['pct']:.1f}%")
    expect(metric).to_contain_text(f"{round(head['delta_pts'], 1) + 0.0:+.1f} {unit}".replace("+", ""))
    expect(page).to_have_url(re.compile(r"base=2563&compare=2565.*agency=D010"))


def test_a_click_on_a_category_opens_its_criteria(page, app_url):
    page.goto(f"{app_url}/?lang=en")
    settle(page, "Overview", 2)
    dumbbell = page.locator(".js-plotly-plot").first
    point = dumbbell.locator("g.scatterlayer g.trace").last.locator("path.point").first  # the top row
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(page, "Strengths and weaknesses", 2)  # category 7 has no chart of criteria below a threshold
    expect(page).to_have_url(re.compile(r"/strengths\?.*cat=7"))  # categories are drawn 7 at the top
    expect(page.get_by_text("Category 7 is measured by result items")).to_be_visible()


def test_a_click_on_a_mover_opens_its_drilldown(page, app_url, sample):
    page.goto(f"{app_url}/agency?lang=en&cat=4")
    settle(page, "Agency drilldown")
    first = sections.movers(sample, db.Filters(), 4, 2564, 2565)["rise"].agency_code[0]
    table = page.locator("[data-testid=stDataFrame]").first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection marker
    expect(page.locator("h3").filter(has_text=first)).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(f"agency={first}"))
