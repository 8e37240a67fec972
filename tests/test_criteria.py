"""The criteria workbench's SQL (issue 17): item statistics and flags, redundant pairs, category
alphas and the agencies below a criterion, on a fixture built so that every flag occurs.

Twelve agencies in 2565 (A01–A06 departments of the ministry, A07–A12 provinces of the cluster),
the first nine of them in 2564. Every criterion is out of 10 but 4.1, out of 20:

    1.1  normal      A12 not assessed in 2565; one agency of 11 below 50 %
    1.2  redundant   1.2 and 1.3 differ only in A03's score (3 and 4): r ≈ 0.99
    1.3  redundant
    2.1  hard        half the agencies below 50 %, the weak ones overall
    2.2  none        every agency 8: no variance, so no correlation
    3.1  unclear     7 of 12 below 50 %, unrelated to the rest (r < 0)
    4.1  saturated   8 of 12 at the maximum

Every number is checked against a direct computation below (statistics.correlation and
statistics.variance, from the issue's definitions), and a few are worked out by hand in comments.
"""

from __future__ import annotations

import statistics

import pytest

from dashboard.data import db
from tests.conftest import CLUSTER, MINISTRY, OPERATOR, row, write_rows

CODES = [f"A{i:02d}" for i in range(1, 13)]
# criterion: (max_score, scores of A01…A12 in 2565, scores of A01…A09 in 2564); None: not assessed
DATA = {
    "1.1": (10.0, [3, 6, 5, 8, 6, 7, 9, 6, 8, 7, 9, None], [4, 5, 5, 7, 6, 7, 8, 6, 8]),
    "1.2": (10.0, [2, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9, 9], [2, 3, 4, 4, 5, 5, 6, 6, 7]),
    "1.3": (10.0, [2, 3, 4, 4, 5, 5, 6, 7, 7, 8, 9, 9], [2, 3, 4, 4, 5, 5, 6, 6, 7]),
    "2.1": (10.0, [1, 3, 2, 5, 2, 6, 8, 7, 3, 4, 9, 7], [2, 3, 2, 4, 3, 5, 6, 6, 4]),
    "2.2": (10.0, [8] * 12, [8] * 9),
    "3.1": (10.0, [8, 2, 9, 3, 7, 4, 1, 8, 3, 9, 2, 4], [7, 3, 8, 4, 6, 5, 2, 7, 3]),
    "4.1": (20.0, [14, 20, 16, 20, 18, 20, 20, 20, 16, 20, 20, 20], [14, 18, 16, 20, 18, 20, 20, 18, 16]),
}
YEARS = {2565: 1, 2564: 2}  # where each year's scores sit in DATA's tuples
PROVINCES = CODES[6:]
# the defaults, supplied by the caller
CUTS = {"threshold": 50, "saturated_share": 50, "redundant_r": 0.9, "hard_share": 30, "discrimination_cut": 0.3}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> db.Store:
    folder = tmp_path_factory.mktemp("criteria")
    for year, at in YEARS.items():
        rows = []
        for criterion, entry in DATA.items():
            for code, score in zip(CODES, entry[at], strict=False):
                province = {"type_": "province", "group": CLUSTER} if code in PROVINCES else {}
                rows.append(row(year, code, criterion, score, entry[0], **province))
        write_rows(folder / f"{year}.parquet", rows)
    return db.Store(folder, OPERATOR)


def stats(store, year=2565, base_year=2564, filters=None, **cuts) -> dict[str, dict]:
    found = store.records("criterion_item_stats_by_year", filters, year=year, base_year=base_year, **(CUTS | cuts))
    return {r["criterion"]: r for r in found}


# --- the direct computation, from the definitions ------------------------------------------


def criterion_pct(year: int, criterion: str, codes=CODES) -> dict[str, float]:
    """Criterion % of the agencies assessed on it: 100 × score / max_score."""
    top, scores = DATA[criterion][0], DATA[criterion][YEARS[year]]
    return {c: 100 * s / top for c, s in zip(CODES, scores, strict=False) if s is not None and c in codes}


def rest_pct(year: int, code: str, criterion: str) -> float | None:
    """The agency's total % over its other assessed criteria: 100 × (Σ score − score) / (Σ max − max)."""
    others = []
    for other, entry in DATA.items():
        scores = entry[YEARS[year]]
        at = CODES.index(code)
        if other != criterion and at < len(scores) and scores[at] is not None:
            others.append((scores[at], entry[0]))
    return 100 * sum(s for s, _ in others) / sum(m for _, m in others) if others else None


def r_or_none(xs: list[float], ys: list[float]) -> float | None:
    """Pearson r, or None with fewer than 10 agencies or no variance."""
    if len(xs) < 10:
        return None
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:  # a constant input
        return None


def direct_item(year: int, criterion: str, threshold: float, codes=CODES) -> dict:
    pcts = criterion_pct(year, criterion, codes)
    top, scores = DATA[criterion][0], DATA[criterion][YEARS[year]]
    at_max = [c for c, s in zip(CODES, scores, strict=False) if s == top and c in codes]
    pairs = [(p, rest_pct(year, c, criterion)) for c, p in pcts.items()]
    pairs = [(p, r) for p, r in pairs if r is not None]
    return {
        "assessed": len(pcts),
        "mean_pct": statistics.mean(pcts.values()),
        "below_share": 100 * sum(p < threshold for p in pcts.values()) / len(pcts),
        "ceiling_share": 100 * len(at_max) / len(pcts),
        "discrimination": r_or_none([p for p, _ in pairs], [r for _, r in pairs]),
    }


def direct_pairs(year: int, at_least: float, codes=CODES) -> dict[tuple[str, str], float]:
    found = {}
    for a in DATA:
        for b in DATA:
            if a < b:
                pa, pb = criterion_pct(year, a, codes), criterion_pct(year, b, codes)
                both = sorted(pa.keys() & pb.keys())
                r = r_or_none([pa[c] for c in both], [pb[c] for c in both])
                if r is not None and r >= at_least:
                    found[a, b] = r
    return found


def direct_alpha(year: int, category: int, codes=CODES) -> tuple[float | None, int, int]:
    """Cronbach's alpha over the agencies assessed on all the category's criteria, their number, k."""
    items = [criterion_pct(year, c, codes) for c in DATA if c.startswith(f"{category}.")]
    complete = sorted(set.intersection(*(set(i) for i in items)))
    k = len(items)
    if k < 2:
        return None, len(complete), k
    sums = [sum(i[c] for i in items) for c in complete]
    ratio = sum(statistics.variance([i[c] for c in complete]) for i in items) / statistics.variance(sums)
    return k / (k - 1) * (1 - ratio), len(complete), k


def total_pct(year: int, code: str) -> float:
    """The agency's total % over all its assessed criteria of the year."""
    pairs = [(e[YEARS[year]][CODES.index(code)], e[0]) for e in DATA.values()]
    pairs = [(s, m) for s, m in pairs if s is not None]
    return 100 * sum(s for s, _ in pairs) / sum(m for _, m in pairs)


def approx(value):
    return None if value is None else pytest.approx(value)


def pick(found: dict, keys: list[str]) -> tuple:
    return tuple(found[k] for k in keys)


# --- criterion_item_stats_by_year ------------------------------------------------------------------


def test_each_criterion_gets_the_flag_the_fixture_was_built_for(store):
    flags = {c: r["flag"] for c, r in stats(store).items()}
    assert flags == {
        "1.1": "none",
        "1.2": "redundant",
        "1.3": "redundant",
        "2.1": "hard",
        "2.2": "none",
        "3.1": "unclear",
        "4.1": "saturated",
    }
    assert [c for c, r in stats(store).items() if r["redundant"]] == ["1.2", "1.3"]


def test_each_criterion_names_its_redundant_partners_as_the_pairs_query_does(store):
    # The workbench reads its pairs from the partners column: the same pairs, seen from both ends.
    expected = direct_pairs(2565, 0.9)
    found = stats(store)
    assert found["1.2"]["partners"] == [{"criterion": "1.3", "r": pytest.approx(expected[("1.2", "1.3")])}]
    assert found["1.3"]["partners"] == [{"criterion": "1.2", "r": pytest.approx(expected[("1.2", "1.3")])}]
    assert [c for c, r in found.items() if r["partners"] is not None] == ["1.2", "1.3"]


@pytest.mark.parametrize("threshold", [50, 65])
def test_item_stats_are_the_direct_computation(store, threshold):
    found = stats(store, threshold=threshold)
    assert sorted(found) == sorted(DATA)
    for criterion, got in found.items():
        expected = direct_item(2565, criterion, threshold)
        assert {k: got[k] for k in expected} == {k: approx(v) for k, v in expected.items()}, criterion
        assert got["category"] == int(criterion[0])
        base = direct_item(2564, criterion, threshold)
        assert (got["base_mean_pct"], got["base_below_share"], got["delta_pts"]) == pytest.approx(
            (base["mean_pct"], base["below_share"], expected["mean_pct"] - base["mean_pct"])
        ), criterion


def test_item_stats_worked_by_hand(store):
    found = stats(store)
    # 1.1: A12 not assessed, so 11 agencies; (3+6+5+8+6+7+9+6+8+7+9) × 10 / 11 = 740 / 11 = 67.27 %,
    # in 2564 (4+5+5+7+6+7+8+6+8) × 10 / 9 = 560 / 9 = 62.22 %: +5.05 points
    assert (found["1.1"]["assessed"], found["1.1"]["mean_pct"]) == (11, pytest.approx(740 / 11))
    assert found["1.1"]["delta_pts"] == pytest.approx(740 / 11 - 560 / 9)
    # 1.2: 20, 30, 30, 40 % are below 50 (the two 5s, exactly 50 %, are not): 4 of 12
    assert found["1.2"]["below_share"] == pytest.approx(100 / 3)
    # 4.1: 8 of 12 agencies have 20 of 20
    assert found["4.1"]["ceiling_share"] == pytest.approx(200 / 3)
    # 2.2: everyone has 8, so no variance and no correlation; nobody below, nobody at the maximum
    assert pick(found["2.2"], ["mean_pct", "below_share", "ceiling_share", "discrimination"]) == (80, 0, 0, None)
    # 3.1 fails the strong agencies as often as the weak ones: its r with the rest is negative
    assert found["3.1"]["discrimination"] < 0


def test_fewer_than_ten_agencies_give_no_correlation(store):
    # 2564 has nine agencies: no discrimination anywhere, and 1.2 and 1.3, identical that year, are
    # no pair; a criterion that half of them fail is "unclear", never "hard", without an r
    found = stats(store, year=2564, base_year=None)
    assert {r["discrimination"] for r in found.values()} == {None}
    assert {r["redundant"] for r in found.values()} == {False}
    # 2.1 in 2564: 20, 30, 20, 40, 30, 40 % are below 50: 6 of 9
    assert pick(found["2.1"], ["below_share", "flag"]) == (pytest.approx(200 / 3), "unclear")
    assert store.records("redundant_pairs_by_year", year=2564, redundant_r=0.9) == []


def test_the_cut_points_are_the_callers(store):
    # 2.1's r with the rest is about 0.61: "hard" at 0.3, "unclear" at 0.7
    assert stats(store, discrimination_cut=0.7)["2.1"]["flag"] == "unclear"
    # at r ≥ 0.995 1.2 and 1.3 (r ≈ 0.993) are no pair; a third of agencies below 50 %, correlated
    # with the rest: both "hard"
    loose = stats(store, redundant_r=0.995)
    assert pick(loose["1.2"], ["redundant", "flag"]) == (False, "hard")
    assert loose["1.3"]["flag"] == "hard"
    # 4.1's 66.7 % at the maximum is not saturated at 70; nobody is below 50 %
    assert stats(store, saturated_share=70)["4.1"]["flag"] == "none"
    # at 60 % 3.1's 58.3 % below is not enough to flag it
    assert stats(store, hard_share=60)["3.1"]["flag"] == "none"


def test_without_a_base_year_the_base_columns_are_empty(store):
    found = stats(store, base_year=None)
    assert {pick(r, ["base_mean_pct", "base_below_share", "delta_pts"]) for r in found.values()} == {(None, None, None)}
    assert found["2.1"]["flag"] == "hard"  # the rest does not depend on a base year


# --- redundant_pairs_by_year -----------------------------------------------------------------------


@pytest.mark.parametrize("at_least", [0.9, 0.6])
def test_redundant_pairs_are_the_direct_computation(store, at_least):
    found = store.records("redundant_pairs_by_year", year=2565, redundant_r=at_least)
    expected = direct_pairs(2565, at_least)
    assert [(r["a"], r["b"]) for r in found] == sorted(expected)
    assert [r["r"] for r in found] == [pytest.approx(expected[p]) for p in sorted(expected)]


def test_redundant_pairs_worked_by_hand(store):
    # only 1.2 and 1.3 are near-identical; 2.2 (constant) is in no pair at any r
    [pair] = store.records("redundant_pairs_by_year", year=2565, redundant_r=0.9)
    assert (pair["a"], pair["b"]) == ("1.2", "1.3")
    everything = store.records("redundant_pairs_by_year", year=2565, redundant_r=-1)
    assert all("2.2" not in (r["a"], r["b"]) for r in everything)
    # the other six criteria make 15 pairs, every one with at least 11 agencies assessed on both
    assert len(everything) == 15


def test_criterion_pair_r_is_every_pair_of_the_direct_computation(store):
    """The macro both workbench queries read: every pair a before b, with r over the agencies assessed
    on both, or none (fewer than 10 of them, or a constant criterion such as 2.2)."""
    with store._cursor() as cursor:
        found = cursor.execute("select a, b, r from criterion_pair_r([2565], [], [], [], []) order by a, b").fetchall()
    pcts = {c: criterion_pct(2565, c) for c in DATA}
    expected = {}
    for a in DATA:
        for b in DATA:
            if a < b:
                both = [c for c in CODES if c in pcts[a] and c in pcts[b]]
                expected[(a, b)] = r_or_none([pcts[a][c] for c in both], [pcts[b][c] for c in both])
    assert [(a, b) for a, b, _ in found] == sorted(expected)
    for a, b, r in found:
        assert r == (None if expected[(a, b)] is None else pytest.approx(expected[(a, b)])), (a, b)
    assert all(r is None for a, b, r in found if "2.2" in (a, b))


def test_the_kept_pair_sums_hold_each_years_own_sums(store):
    """The build keeps the sums a year at a time (db._keep_by_year): each year and type holds the count
    and sums of its own agencies assessed on both, as worked out here, and the kept select run over
    every year at once (as a scoped cursor's view runs it) gives the same rows."""
    expected = {}
    for year in YEARS:
        for type_, codes in (("department", CODES[:6]), ("province", PROVINCES)):
            pcts = {c: criterion_pct(year, c, codes) for c in DATA}
            for a in DATA:
                for b in DATA:
                    both = sorted(pcts[a].keys() & pcts[b].keys())
                    if a < b and both:
                        sab = sum(pcts[a][c] * pcts[b][c] for c in both)
                        expected[year, type_, a, b] = (len(both), pytest.approx(sab))
    with store._cursor() as cursor:
        kept = cursor.execute("select fiscal_year, agency_type, a, b, n, sab from criterion_pair_sums").fetchall()
        again = cursor.execute("select fiscal_year, agency_type, a, b, n, sab from pair_sums([], [], [], [], [])")
        again = again.fetchall()
    assert {(y, t, a, b): (n, sab) for y, t, a, b, n, sab in kept} == expected
    assert sorted(kept) == sorted(again)
    # 2564's provinces are A07-A09: three agencies on every pair; 2565's 1.1 lacks A12
    assert expected[2564, "province", "1.2", "1.3"][0] == 3 and expected[2565, "province", "1.1", "1.2"][0] == 5


@pytest.mark.parametrize(
    "filters, codes",
    [
        # without a group or agency filter the sums come from the kept sums per year and type …
        ({"categories": [1, 2]}, CODES),
        ({"agency_types": ["department", "province"]}, CODES),
        # … with one, from a self-join of the filtered rows: both routes give the direct r
        ({"agency_codes": CODES[:11]}, CODES[:11]),
        ({"groups": [CLUSTER, MINISTRY]}, CODES),
    ],
)
def test_criterion_pair_r_is_the_same_by_either_route(store, filters, codes):
    args = {"years": [2565], "agency_types": [], "groups": [], "agency_codes": [], "categories": []} | filters
    with store._cursor() as cursor:
        found = cursor.execute(
            "select a, b, r from criterion_pair_r($years, $agency_types, $groups, $agency_codes, $categories)",
            args,
        ).fetchall()
    wanted = [c for c in DATA if not filters.get("categories") or int(c[0]) in filters["categories"]]
    pcts = {c: criterion_pct(2565, c, codes) for c in wanted}
    expected = {}
    for a in wanted:
        for b in wanted:
            if a < b:
                both = [c for c in codes if c in pcts[a] and c in pcts[b]]
                expected[(a, b)] = r_or_none([pcts[a][c] for c in both], [pcts[b][c] for c in both])
    assert sorted((a, b) for a, b, _ in found) == sorted(expected)  # each pair once: one route answers
    assert {(a, b): r for a, b, r in found} == {k: approx(v) for k, v in expected.items()}
    assert any(r is not None for _, _, r in found)


# --- category_alpha_by_year ------------------------------------------------------------------------


def test_category_alpha_is_the_direct_computation(store):
    found = store.records("category_alpha_by_year", year=2565)
    assert [r["category"] for r in found] == [1, 2, 3, 4]
    for got in found:
        alpha, agencies, k = direct_alpha(2565, got["category"])
        assert pick(got, ["alpha", "agencies", "criteria"]) == (approx(alpha), agencies, k)


def test_category_alpha_worked_by_hand(store):
    found = {r["category"]: r for r in store.records("category_alpha_by_year", year=2565)}
    # category 1: A12 was not assessed on 1.1, so 11 agencies assessed on all three criteria
    assert pick(found[1], ["agencies", "criteria"]) == (11, 3)
    assert found[1]["alpha"] > 0.8  # three criteria that rise together
    # category 2: 2.2 is constant, so var(2.1 + 80) = var(2.1): 2/1 × (1 − 1) = 0
    assert found[2]["alpha"] == pytest.approx(0, abs=1e-9)
    # a category of one criterion has no alpha
    assert pick(found[3], ["alpha", "agencies", "criteria"]) == (None, 12, 1)


# --- agencies_below_criterion ----------------------------------------------------------------------


def below(store, criterion, threshold=50, filters=None, base_year=2564):
    return store.records(
        "agencies_below_criterion", filters, year=2565, criterion=criterion, threshold=threshold, base_year=base_year
    )


def test_agencies_below_a_criterion_lowest_first(store):
    found = below(store, "2.1")
    # 2.1 below 5 of 10: A01 1, A03 2, A05 2, A02 3, A09 3, A10 4; ties by code
    assert [(r["agency_code"], r["score"], r["pct"]) for r in found] == [
        ("A01", 1, 10),
        ("A03", 2, 20),
        ("A05", 2, 20),
        ("A02", 3, 30),
        ("A09", 3, 30),
        ("A10", 4, 40),
    ]
    # their 2.1 in 2564, and their total % in 2565; A10 joined in 2565, so it has no base
    for r in found:
        base = criterion_pct(2564, "2.1").get(r["agency_code"])
        assert (r["base_pct"], r["total_pct"]) == (approx(base), pytest.approx(total_pct(2565, r["agency_code"])))
    assert found[-1]["base_pct"] is None
    # A01 in 2565: (3+2+2+1+8+8+14) of (10 × 6 + 20) = 38 / 80 = 47.5 %
    assert found[0]["total_pct"] == pytest.approx(47.5)
    keys = ["agency_name_th", "agency_name_en", "agency_type", "agency_group_th", "max_score"]
    assert pick(found[-1], keys) == ("หน่วยงาน A10", "Agency A10", "province", CLUSTER, 10)


def test_an_agency_not_assessed_is_not_below(store):
    # 1.1 below 60 %: A01 30 %, A03 50 %; A12 was not assessed on it and is not listed
    assert [(r["agency_code"], r["pct"]) for r in below(store, "1.1", threshold=60)] == [("A01", 30), ("A03", 50)]
    # 50 % is not below 50
    assert [r["agency_code"] for r in below(store, "1.1", base_year=None)] == ["A01"]


# --- the shared filters ----------------------------------------------------------------------------


def test_the_filters_narrow_every_number(store):
    provinces = db.Filters(agency_types=("province",))
    found = stats(store, filters=provinces)
    for criterion, got in found.items():
        expected = direct_item(2565, criterion, 50, codes=PROVINCES)
        assert {k: got[k] for k in expected} == {k: approx(v) for k, v in expected.items()}, criterion
    # six provinces (five assessed on 1.1): too few for any correlation
    assert (found["1.1"]["assessed"], found["2.1"]["assessed"], found["2.1"]["discrimination"]) == (5, 6, None)
    assert store.records("redundant_pairs_by_year", provinces, year=2565, redundant_r=0.9) == []
    alphas = store.records("category_alpha_by_year", provinces, year=2565)
    for got in alphas:
        alpha, agencies, k = direct_alpha(2565, got["category"], codes=PROVINCES)
        assert pick(got, ["alpha", "agencies", "criteria"]) == (approx(alpha), agencies, k)
    assert alphas[0]["agencies"] == 5  # A07–A11: A12 was not assessed on 1.1
    assert [r["agency_code"] for r in below(store, "2.1", filters=provinces)] == ["A09", "A10"]
