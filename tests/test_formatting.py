"""Units a meeting reads correctly: percentage-point changes are จุด / pts, never คะแนน."""

from __future__ import annotations

import math

from dashboard.views import formatting as f


def test_percentage_point_changes_are_called_points_of_a_percentage():
    assert f.pp(2.2, "th") == "+2.2 จุด"
    assert f.pp(-11.54, "en") == "-11.5 pts"
    assert f.pp(-0.04, "th") == "+0.0 จุด"  # rounded before the sign: never "-0.0"
    assert f.pp(None, "th") is None and f.pp(math.nan, "en") is None


def test_scores_carry_their_maximum_and_their_unit():
    assert f.score(313.24, 500) == "313.2 / 500"
    assert f.score(1313.24, None) == "1,313.2"
    assert f.score(None, 500) == "—"
    assert f.score_change(10.66, "th") == "+10.7 คะแนน"
    assert f.score_change(-3, "en") == "-3.0 points"


def test_percentages_counts_and_missing_values():
    assert f.pct(62.91667) == "62.9%"
    assert f.pct(math.nan) == "—"
    assert f.count(8000) == "8,000"
    assert f.count_change(-12) == "-12" and f.count_change(3) == "+3"


def test_only_changes_in_points_are_formatted_as_points():
    # A change of a percentage or of score points is signed; a change in the number of agencies is
    # a count: 3 more agencies is "3", never "+3.0" as if it were points.
    assert [f.column_kind(c) for c in ("delta_pts", "share_change_pts", "points_change", "percentile_change")] == [
        "pts"
    ] * 4
    assert f.column_kind("agencies_change") == "count"
    assert f.cell("agencies_change", 1200) == ("1,200", True)
    assert f.cell("points_change", -3) == ("-3.0", True)
