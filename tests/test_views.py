"""The views every screen and file shares, on the tiny folder, with numbers worked out by hand.

Category 1 per agency: 2564 A1 (5+7)/20 = 60, A2 8/10 = 80 (1.2 not assessed), P1 100;
2565 A1 70, P1 90, N1 40. Criterion 7.1 (of 20): 2564 A1 50, A2 20, P1 75; 2565 A1 60, N1 40,
P1 not assessed.
"""

from __future__ import annotations

import pytest
from pytest import approx

from dashboard.data.db import Filters
from dashboard.views import sections


def test_movers_are_rises_under_rises_and_falls_under_falls(tiny):
    moves = sections.movers(tiny, Filters(), 1, 2564, 2565)  # in both years: A1 60 -> 70, P1 100 -> 90
    assert moves["rise"][["agency_code", "delta_pts"]].values.tolist() == [["A1", approx(10.0)]]
    assert moves["fall"][["agency_code", "delta_pts"]].values.tolist() == [["P1", approx(-10.0)]]
    moves = sections.movers(tiny, Filters(), 7, 2564, 2565)  # A1 50 -> 60; P1 has no 7.1 in 2565
    assert moves["rise"].agency_code.tolist() == ["A1"] and moves["fall"].empty
    moves = sections.movers(tiny, Filters(agency_types=("province",)), 1, 2564, 2565)
    assert moves["rise"].empty and moves["fall"].agency_code.tolist() == ["P1"]


def test_the_lowest_criteria_are_those_most_agencies_cannot_meet(tiny):
    lowest = sections.lowest_criteria(tiny, Filters(), 2565, threshold=65)
    # 1.1: A1 60 and N1 40 below 65 of three = 66.7%; 1.2: N1 only = 33.3%
    assert lowest[["criterion", "share_below_pct"]].values.tolist() == [
        ["1.1", approx(200 / 3)],
        ["1.2", approx(100 / 3)],
    ]
    tie = sections.lowest_criteria(tiny, Filters(), 2565, threshold=50, n=1)  # 33.3% each: by code
    assert tie.criterion.tolist() == ["1.1"]
    assert sections.lowest_criteria(tiny, Filters(categories=(7,)), 2565, threshold=50).empty  # 7 is not 1-6


def test_result_items_change_between_the_chosen_years(tiny):
    items = sections.result_items(tiny, Filters(), 2564, 2565, threshold=50)
    row = items.iloc[0]
    assert row.criterion == "7.1"
    assert (row.base_pct, row.compare_pct) == (approx((50 + 20 + 75) / 3), approx(50.0))
    assert row.delta_pts == approx(50 - (50 + 20 + 75) / 3)
    assert (row.base_share_below_pct, row.compare_share_below_pct) == (approx(100 / 3), approx(50.0))
    reversed_pair = sections.result_items(tiny, Filters(), 2565, 2564, threshold=50).iloc[0]
    assert reversed_pair.delta_pts == approx(-row.delta_pts)


def test_the_agency_headline_follows_the_pair(tiny):
    head = sections.agency_headline(tiny, "A1", "department", 2564, 2565)  # A1 55% -> 65%
    assert (head["pct"], head["delta_pts"]) == (approx(65.0), approx(10.0))
    assert (head["position"], head["ranked_agencies"], head["positions_gained"]) == (1, 1, 0)
    gone = sections.agency_headline(tiny, "A2", "department", 2564, 2565)  # A2 left after 2564
    assert gone["pct"] is None and gone["delta_pts"] is None


@pytest.mark.parametrize("n", [0, 5])
def test_a_filter_that_matches_nothing_gives_empty_views(tiny, n):
    nothing = Filters(groups=("no such group",))
    assert sections.movers(tiny, nothing, 1, 2564, 2565)["rise"].empty
    assert sections.result_items(tiny, nothing, 2564, 2565, threshold=50).empty
    assert sections.lowest_criteria(tiny, nothing, 2565, threshold=50, n=n).empty


def test_cut_offs_in_force_follow_the_scheme_year(tiny):
    # the bundled scheme's illustrative cut-offs 50 / 65 / 80 hold from its first year
    assert sections.cutoffs(tiny.scheme, 2565, "en") == [("Basic", 50.0), ("Advance", 65.0), ("Significance", 80.0)]
    assert sections.cutoffs(tiny.scheme, 2400, "th") == []  # before the scheme's first year: none
