"""`pmqa criteria` as a user runs it (a separate process), on tests/test_criteria.py's fixture: the
JSON is the issue's shape with the views' numbers, a few of them worked out by hand; the table is
readable; a bad request is one line and exit 1."""

from __future__ import annotations

import json

import pytest

from dashboard.views import sections
from tests import test_criteria
from tests.conftest import CLUSTER, cli
from tests.test_criteria_views import close

store = test_criteria.store  # that file's fixture: twelve agencies, a criterion built for each flag

CRITERION_KEYS = ["criterion", "category", "name", "assessed", "mean_pct", "below_share", "ceiling_share"]
CRITERION_KEYS += ["discrimination", "flag", "base_mean_pct", "delta_pts"]
AGENCY_KEYS = ["agency_code", "agency_name", "agency_type", "agency_group", "score", "max_score", "pct"]
AGENCY_KEYS += ["base_pct", "total_pct"]


def run_json(store, *args) -> dict:
    done = cli("criteria", *args, "--json", data=store.data_dir)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_json_is_the_issues_shape_with_the_views_numbers(store):
    found = run_json(store, "--year", 2565, "--base", 2564)
    assert list(found) == ["year", "threshold", "criteria", "categories", "redundant_pairs"]
    assert (found["year"], found["threshold"]) == (2565, 50)
    assert all(list(c) == CRITERION_KEYS for c in found["criteria"])
    views = sections.workbench(store, 2565, 2564, 50, sections.Filters(), "en")
    assert found["criteria"] == close([{k: c[k] for k in CRITERION_KEYS} for c in views["criteria"]])
    assert found["categories"] == close(views["categories"])
    assert found["redundant_pairs"] == close(views["redundant_pairs"])
    # by hand: 1.1's 11 assessed agencies have 740 of 110 points; 8 of 12 have 20 of 20 on 4.1
    by_code = {c["criterion"]: c for c in found["criteria"]}
    assert (by_code["1.1"]["assessed"], by_code["1.1"]["mean_pct"]) == (11, pytest.approx(740 / 11))
    assert by_code["1.1"]["delta_pts"] == pytest.approx(740 / 11 - 560 / 9)
    assert by_code["4.1"]["ceiling_share"] == pytest.approx(200 / 3)
    assert [c["flag"] for c in found["criteria"]] == ["none", "redundant", "redundant", "hard"] + [
        "none",
        "unclear",
        "saturated",
    ]
    assert [(p["a"], p["b"]) for p in found["redundant_pairs"]] == [("1.2", "1.3")]


def test_the_threshold_and_filters_reach_the_numbers(store):
    # the six provinces at 65 %: on 1.1, A07–A11 score 9, 6, 8, 7, 9 of 10 (A12 not assessed), so
    # 60 % (A08) is the one below: 1 of 5; without a base year there is no change
    found = run_json(store, "--year", 2565, "--threshold", 65, "--agency-type", "province")
    assert found["threshold"] == 65
    first = found["criteria"][0]
    assert (first["criterion"], first["assessed"], first["below_share"]) == ("1.1", 5, pytest.approx(20))
    assert (first["base_mean_pct"], first["delta_pts"]) == (None, None)
    assert [c["agencies"] for c in found["categories"]] == [5, 6, 6, 6]


def test_the_table_is_readable(store):
    done = cli("criteria", "--year", 2565, "--base", 2564, data=store.data_dir)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "PMQA 4.0 criteria, fiscal 2565 (2022) against 2564 (2021): below means under 50% of the criterion's maximum"
    )
    row = next(line for line in lines if line.startswith("3.1 "))
    # 3.1: 7 of 12 below 5 of 10, none at 10; 60 of 120 points = 50.0 %, in 2564 45 of 90 = 50.0 %
    assert row.split()[:5] == ["3.1", "12", "50.0%", "58.3%", "0.0%"]
    assert row.split()[6:9] == ["unclear", "50.0%", "+0.0"]
    assert "Redundant pairs (r >= 0.9): 1.2 & 1.3 (r 0.99)" in done.stdout


def test_the_agencies_below_a_criterion(store):
    found = run_json(store, "--year", 2565, "--criterion", "2.1", "--below", "--base", 2564)
    assert list(found) == ["criterion", "year", "threshold", "agencies"]
    assert (found["criterion"], found["year"], found["threshold"]) == ("2.1", 2565, 50)
    views = sections.agencies_below(store, 2565, "2.1", 50, 2564, sections.Filters())
    assert found["agencies"] == close(views["agencies"])
    assert all(list(a) == AGENCY_KEYS for a in found["agencies"])
    # 2.1 below 5 of 10: A01 1, A03 2, A05 2, A02 3, A09 3, A10 4; A01 had 2 in 2564 and 38 of 80 in 2565
    assert [a["agency_code"] for a in found["agencies"]] == ["A01", "A03", "A05", "A02", "A09", "A10"]
    assert [found["agencies"][0][k] for k in ["pct", "base_pct", "total_pct"]] == [10, 20, 47.5]
    assert found["agencies"][-1]["agency_group"] == CLUSTER


def test_the_agencies_below_as_a_table(store):
    done = cli("criteria", "--year", 2565, "--criterion", "2.1", "--below", "--group", CLUSTER, data=store.data_dir)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "2 agencies below 50% on criterion 2.1, fiscal 2565 (2022), the lowest first"
    # A09: 3 of 10, no base year asked; its total: 1.1 8, 1.2 7, 1.3 7, 2.1 3, 2.2 8, 3.1 3 of 10 and
    # 4.1 16 of 20, so 52 of 80 = 65.0 %
    assert lines[3].split()[:7] == ["A09", "3.0", "/", "10", "30.0%", "—", "65.0%"]
    assert lines[3].endswith(f"Province, {CLUSTER}, หน่วยงาน A09")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", 2570], "error: no data for fiscal year 2570 (B.E.); the data holds 2564, 2565"),
        (["--year", 2565, "--base", 2563], "error: no data for fiscal year 2563 (B.E.); the data holds 2564, 2565"),
        (
            ["--year", 2565, "--threshold", 101],
            "error: the threshold is a percentage of the maximum score, from 0 to 100, not 101",
        ),
        (
            ["--year", 2565, "--criterion", "9.9", "--below"],
            "error: no criterion '9.9' in fiscal year 2565; it has: 1.1, 1.2, 1.3, 2.1, 2.2, 3.1, 4.1",
        ),
        (
            ["--year", 2565, "--threshold", -5, "--criterion", "2.1", "--below"],
            "error: the threshold is a percentage of the maximum score, from 0 to 100, not -5",
        ),
        (["--year", 2565, "--group", "nowhere"], "error: no ministry or cluster named 'nowhere'; the data has: "),
        (
            ["--year", 2565, "--below"],
            "error: --criterion C and --below go together: they list the agencies below the threshold on C",
        ),
    ],
)
def test_a_bad_request_is_one_line_and_exit_1(store, args, message):
    done = cli("criteria", *args, data=store.data_dir)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.stderr


def test_an_unknown_agency_type_is_refused_by_its_choices(store):
    done = cli("criteria", "--year", 2565, "--agency-type", "ministry", data=store.data_dir)
    assert done.returncode == 2 and "invalid choice: 'ministry'" in done.stderr
