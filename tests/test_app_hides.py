"""What the pages used to hide (issue 19, points 4-7), in AppTest on the tiny folder: the Overview's
change per category, where a click takes a person, the agency search. Values worked out by hand
from tests/conftest.py's tiny folder; what only a browser shows is in tests/test_browser_hides.py.

Category 1 (criteria 1.1 and 1.2, ten points each; a missing criterion is left out of the maximum):
    2564: A1 12/20 = 60 %, A2 8/10 = 80 %, P1 20/20 = 100 %  -> mean 80.0 %
    2565: A1 14/20 = 70 %, P1 18/20 = 90 %, N1 8/20 = 40 %    -> mean 66.7 %, change -13.3 pts
Category 7 (7.1, twenty points):
    2564: A1 50 %, A2 20 %, P1 75 % -> 48.3 %;  2565: A1 60 %, N1 40 % -> 50.0 %, change +1.7 pts
"""

from __future__ import annotations

import pytest

from tests.test_app import figures, open_page

pytestmark = pytest.mark.browser  # every test runs the app in AppTest


@pytest.mark.parametrize(
    "lang,years,unit,change,cat1,cat7",
    [
        ("en", ("2564 (2021)", "2565 (2022)"), "pts", "change", "Cat. 1 Leadership", "Cat. 7 Results"),
        ("th", ("2564", "2565"), "จุด", "เปลี่ยนแปลง", "หมวด 1 การนำองค์การ", "หมวด 7 ผลลัพธ์การดำเนินการ"),
    ],
)
def test_the_overview_shows_each_categorys_change(tiny_dir, monkeypatch, lang, years, unit, change, cat1, cat7):
    at = open_page("overview", tiny_dir, monkeypatch, lang=lang)
    assert not at.exception
    table = at.dataframe[0].value  # the Overview's one table
    assert table["category"].tolist() == [cat1, cat7]
    assert table["base_mean_pct"].round(1).tolist() == [80.0, 48.3]
    assert table["compare_mean_pct"].round(1).tolist() == [66.7, 50.0]
    assert table["delta_pts"].round(1).tolist() == [-13.3, 1.7]

    dumbbell = figures(at)[0]
    for trace in (t for t in dumbbell["data"] if t.get("name") in years):  # either year's point
        template = trace["hovertemplate"]
        rows = {c[0]: c for c in trace["customdata"]}  # category -> what its hover says
        said = template.replace("%{customdata[1]}", rows[1][1]).replace("%{customdata[2]}", rows[1][2])
        said = said.replace("%{customdata[3]}", rows[1][3])
        assert f"{years[0]}: 80.0%" in said and f"{years[1]}: 66.7%" in said
        assert f"{change}: -13.3 {unit}" in said
        assert rows[7][3] == f"+1.7 {unit}"


def test_many_agencies_are_found_in_one_search_box(tiny_dir, monkeypatch):
    """Beyond LIST_ALL_AGENCIES the drilldown has one box: typed text lists its matches (code, Thai
    or English name, any case) to click; no second box that answers "No results"."""
    from dashboard.app import agencies

    monkeypatch.setattr(agencies, "LIST_ALL_AGENCIES", 2)  # the tiny folder's 4 agencies count as many
    at = open_page("agency", tiny_dir, monkeypatch, lang="en")
    assert not at.exception
    assert [t.key for t in at.text_input] == ["agency_find"]
    assert "agency" not in [s.key for s in at.selectbox]  # the second box is gone
    assert len(at.radio) == 0  # no list before anything is typed

    at.text_input(key="agency_find").input("AGENCY P1").run()  # the English name, in another case
    assert at.radio(key="agency_match").options == ["P1 · หน่วยงาน P1 · Agency P1"]
    at.radio(key="agency_match").set_value("P1").run()
    assert not at.exception
    assert at.subheader[0].value == "P1 · หน่วยงาน P1 · Agency P1"
    assert at.text_input(key="agency_find").value == ""  # the search empties once an agency is chosen
    assert at.query_params["agency"] == "P1"  # and the link names it

    at.text_input(key="agency_find").input("กรมใหม่").run()  # A1's Thai name in 2565
    assert at.radio(key="agency_match").options == ["A1 · กรมใหม่ · Agency A1"]
    at.text_input(key="agency_find").input("a1").run()  # a code typed in full comes first
    assert at.radio(key="agency_match").options[0].startswith("A1 ")
    at.text_input(key="agency_find").input("no such agency").run()
    assert "No agency has this code or name." in " ".join(c.value for c in at.caption)
