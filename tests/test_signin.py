"""Sign-in through a real OpenID Connect provider (oidc-provider-mock, on 127.0.0.1), in Debian's
chromium: each role sees what it allows and nothing more, and the audit trail says who did what.

The roles file gives: an admin (everything), an analyst scoped to provinces, a viewer (everything);
stranger@example.org is in no rule.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections import Counter

import pyarrow.parquet as pq
import pytest
from playwright.sync_api import Page, expect

from dashboard.data import audit, db
from tests.conftest import ROOT
from tests.test_browser import ARTIFACTS, _free_port, _serve, browser, settle  # noqa: F401 (fixture)
from tests.test_identity import session, status_of, upload

pytestmark = pytest.mark.browser  # the app's server, the OpenID provider and chromium

ROLES = """
[[person]]
email = "admin@example.org"
role = "admin"
scope = "all"

[[person]]
email = "analyst@example.org"
role = "analyst"
scope = { agency_types = ["province"] }

[[person]]
email = "kevin@example.org"
role = "admin"
scope = "all"

[[group]]
name = "pmqa-viewers"
role = "viewer"
scope = "all"
"""


# The accounts the provider knows, by subject (what the sign-in form asks for), with their claims.
ADMIN = "u-0001"  # an administrator's account: its subject is not its address
USERS = {
    ADMIN: {"email": "admin@example.org", "email_verified": True},
    "analyst@example.org": {"email": "analyst@example.org", "email_verified": True},
    # known through a group claim, as an organisation's directory gives it
    "viewer@example.org": {"email": "viewer@example.org", "email_verified": True, "groups": ["staff", "pmqa-viewers"]},
    # accounts whose provider has not verified the address they claim (only the boolean true verifies)
    "impostor": {"email": "admin@example.org", "email_verified": False},
    "impostor-text": {"email": "admin@example.org", "email_verified": "false"},
    "impostor-zero": {"email": "admin@example.org", "email_verified": 0},
    "impostor-unsaid": {"email": "admin@example.org"},
    # a verified address that Unicode case folding, not ASCII, makes kevin@example.org's (Kelvin sign)
    "kelvin": {"email": "\u212aevin@example.org", "email_verified": True},
}


@pytest.fixture(scope="module")
def provider():
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "oidc_provider.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url + "/.well-known/openid-configuration", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        else:
            server.kill()
            pytest.fail("the OpenID provider did not start; see tests/artifacts/oidc_provider.log")
        for sub, claims in USERS.items():
            put = urllib.request.Request(f"{url}/users/{sub}", data=json.dumps(claims).encode(), method="PUT")
            put.add_header("Content-Type", "application/json")
            assert urllib.request.urlopen(put).status == 204
        yield url
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def signed_app(provider, tmp_path_factory):
    """The app on the sample, sign-in on; yields its address and its audit folder."""
    folder = tmp_path_factory.mktemp("signin")
    port = _free_port()
    (folder / "roles.toml").write_text(ROLES, encoding="utf-8")
    (folder / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{os.urandom(24).hex()}"\n'
        'client_id = "pmqa-dashboard"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "PMQA_DATA"}
    args = ["--auth", folder / "secrets.toml", "--roles", folder / "roles.toml", "--audit-dir", folder / "audit"]
    with open(ARTIFACTS / "server_signin.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "run", "--port", str(port), *map(str, args)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for url in _serve(server, f"http://127.0.0.1:{port}"):
            yield url, folder / "audit"


@pytest.fixture
def page(browser) -> Page:  # noqa: F811 (each test signs in afresh: its own cookies)
    context = browser.new_context(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
    yield context.new_page()
    context.close()


def sign_in(page: Page, url: str, email: str) -> None:
    page.goto(url + "/?lang=en")
    expect(page.locator("h1").filter(has_text="sign in")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(url + "/**", timeout=30_000)  # back in the app, which now knows who it is


def open_overview(page: Page, url: str) -> None:
    page.goto(url + "/?lang=en")
    settle(page, "Overview", 2)


def sidebar(page: Page):
    return page.locator("[data-testid=stSidebar]")


def test_nothing_is_shown_before_sign_in(page, signed_app):
    url, _ = signed_app
    page.goto(url + "/explore?lang=en&years=2565")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1000)
    assert page.locator("[data-testid=stDataFrame], [data-testid=stMetric], .js-plotly-plot").count() == 0
    assert page.get_by_text("Explore and export").count() == 0
    page.screenshot(path=ARTIFACTS / "signin_required.png")


def test_before_sign_in_the_server_takes_no_upload_and_serves_no_metrics(signed_app):
    url, _ = signed_app
    with session(url) as (session_id, sent):  # what anyone who reaches the address can open
        assert b"PMQA 4.0 Results: sign in" in sent
        status, text = upload(url, session_id, 1_000)
        assert (status, text) == (403, "Uploads need a signed-in person who may import data.")
    assert status_of(url, "/_stcore/metrics") == 404


def test_a_person_without_a_role_sees_nothing(page, signed_app):
    url, _ = signed_app
    sign_in(page, url, "stranger@example.org")
    page.goto(url + "/?lang=en")
    expect(page.get_by_text("stranger@example.org has no role in this dashboard")).to_be_visible(timeout=60_000)
    assert page.locator("[data-testid=stMetric], .js-plotly-plot, [data-testid=stDataFrame]").count() == 0
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize("account", ["impostor", "impostor-text", "impostor-zero", "impostor-unsaid", "kelvin"])
def test_an_unverified_or_merely_similar_address_names_nobody(page, signed_app, account):
    url, _ = signed_app
    sign_in(page, url, account)  # claims admin@example.org unverified, or kevin@ with a Kelvin sign
    page.goto(url + "/?lang=en")
    expect(page.get_by_text("has no role in this dashboard")).to_be_visible(timeout=60_000)
    assert page.get_by_text("Signed in as").count() == 0
    assert page.locator("[data-testid=stMetric], .js-plotly-plot").count() == 0


def test_a_viewer_sees_pages_but_no_rows_no_downloads_no_import(page, signed_app):
    url, _ = signed_app
    sign_in(page, url, "viewer@example.org")  # a viewer through the group claim
    open_overview(page, url)
    expect(sidebar(page)).to_contain_text("Signed in as viewer@example.org · viewer")
    assert sidebar(page).get_by_text("Import", exact=True).count() == 0
    page.goto(url + "/explore?lang=en&years=2565")
    settle(page, "Explore and export")
    expect(page.get_by_text("Downloads need the analyst role.")).to_be_visible()
    assert page.get_by_role("button", name="Download CSV").count() == 0
    assert page.get_by_text("By criterion").count() == 0  # only the agency level is offered
    page.goto(url + "/agency?lang=en&agency=D010")
    settle(page, "Agency drilldown", 2)
    page.get_by_text("Criteria,").click()
    expect(page.get_by_text("Criterion-level scores of an agency need the analyst role.")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "signin_viewer_agency.png")


def _latest_types() -> dict[str, str]:
    """Each sample agency's type in its latest year, read from the Parquet files themselves."""
    latest: dict[str, tuple[int, str]] = {}
    for path in sorted(db.SAMPLE_DIR.glob("*.parquet")):
        for r in pq.read_table(path, columns=["fiscal_year", "agency_code", "agency_type"]).to_pylist():
            if r["agency_code"] not in latest or r["fiscal_year"] >= latest[r["agency_code"]][0]:
                latest[r["agency_code"]] = (r["fiscal_year"], r["agency_type"])
    return {code: t for code, (_, t) in latest.items()}


def test_a_scoped_analyst_exports_only_the_scope(page, signed_app):
    url, logs = signed_app
    sign_in(page, url, "analyst@example.org")
    open_overview(page, url)
    expect(sidebar(page)).to_contain_text("Sees only Agency types: Province")
    provinces = {code for code, t in _latest_types().items() if t == "province"}
    page.goto(url + "/explore?lang=en&years=2565&level=criterion")
    settle(page, "Explore and export")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    assert rows and {r["agency_code"] for r in rows} <= provinces
    assert {r["fiscal_year"] for r in rows} == {"2565"}
    exported = [line for line in audit.read(logs / audit.FILE) if line["event"] == "export"]
    assert exported[-1]["who"] == "analyst@example.org"
    assert exported[-1]["scope"]["agency_types"] == ["province"] and exported[-1]["level"] == "criterion"
    page.screenshot(path=ARTIFACTS / "signin_analyst_explore.png")


def test_an_admin_has_the_import_page_and_every_agency(page, signed_app, provider, tmp_path):
    url, logs = signed_app
    sign_in(page, url, ADMIN)
    open_overview(page, url)
    expect(sidebar(page)).to_contain_text("administrator")
    expect(sidebar(page)).to_contain_text("Sees every agency.")
    sidebar(page).get_by_text("Import", exact=True).click()
    settle(page, "Import results")
    # the server takes an upload from a signed-in administrator (tests/test_identity.py: no one else)
    results = tmp_path / "results_2566.csv"
    results.write_text(
        "fiscal_year,agency_code,agency_name_th,agency_name_en,agency_type,agency_group_th,agency_group_en,"
        "category,criterion,score,max_score\n2566,A1,กรม,Dept,department,กระทรวง,,1,1.1,5,10\n",
        encoding="utf-8",
    )
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(results))
    expect(page.get_by_text("Ready to import: fiscal year 2566, 1 agencies, 1 rows.")).to_be_visible(timeout=60_000)
    page.goto(url + "/quality?lang=en")  # another page load: a new session with the same sign-in
    settle(page, "Data quality")
    lines = audit.read(logs / audit.FILE)
    events = Counter((line["event"], line["who"]) for line in lines)
    # one line per sign-in, however many pages the person then opened
    assert events[("sign-in", "admin@example.org")] == 1
    # with the account behind the address: the token's subject and the provider that issued it
    [signed] = [line for line in lines if (line["event"], line["who"]) == ("sign-in", "admin@example.org")]
    assert (signed["sub"], signed["iss"]) == (ADMIN, provider)
    assert events[("sign-in", "stranger@example.org")] == 0
    assert events[("sign-in refused", "stranger@example.org")] == 1


def _sign_in_from(page: Page, url: str, link: str, account: str, button: str) -> None:
    """Open a link before signing in, then sign in from its screen (not from the home page)."""
    page.goto(url + link)
    page.get_by_role("button", name=button).click(timeout=60_000)
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    page.get_by_placeholder("sub").fill(account)
    page.get_by_role("button", name="Authorize").click()


def test_sign_in_keeps_the_page_its_parameters_and_the_language(page, signed_app):
    """Issue 19, point 8: /agency?lang=en&base=2563&compare=2565 landed on /?lang=th&... after signing in."""
    url, _ = signed_app
    _sign_in_from(page, url, "/agency?lang=en&base=2563&compare=2565&agency=D010", ADMIN, "Sign in")
    settle(page, "Agency drilldown", 2)
    expect(page).to_have_url(re.compile(r"/agency\?lang=en&base=2563&compare=2565.*agency=D010"))
    expect(page.locator("h3").filter(has_text="D010")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "signin_kept_the_link_en.png")


@pytest.mark.parametrize(
    "lang,button,said",
    [
        ("en", "Sign in", "stranger@example.org has no role in this dashboard"),
        ("th", "เข้าสู่ระบบ", "stranger@example.org ยังไม่มีบทบาทในแดชบอร์ดนี้"),
    ],
)
def test_the_no_role_message_is_in_the_language_the_link_asked_for(page, signed_app, lang, button, said):
    url, _ = signed_app
    _sign_in_from(page, url, f"/trends?lang={lang}", "stranger@example.org", button)
    expect(page.get_by_text(said)).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(rf"/trends\?lang={lang}"))
    page.screenshot(path=ARTIFACTS / f"signin_no_role_{lang}.png")


def test_a_remembered_address_on_another_site_is_not_followed(page, signed_app):
    """The cookie is the browser's to change: an address off this app is ignored, not opened."""
    url, _ = signed_app
    page.context.add_cookies([{"name": "pmqa_link", "value": "//example.invalid/x", "url": url}])
    page.goto(url + "/?lang=en")
    page.get_by_role("button", name="Sign in").click(timeout=60_000)
    page.context.add_cookies([{"name": "pmqa_link", "value": "https%3A%2F%2Fexample.invalid%2F", "url": url}])
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    page.get_by_placeholder("sub").fill(ADMIN)
    page.get_by_role("button", name="Authorize").click()
    settle(page, "ภาพรวม", 2)  # the home page, in the app's own language
    assert page.url.startswith(url)
