"""Roles and scopes, enforced in the query layer: worked out by hand on the tiny folder.

The tiny folder's latest types and groups: A1 and A2 departments of ministry M, P1 a province of
cluster C, N1 a public organisation of ministry M (conftest.py has every score).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.data import access, db
from dashboard.data.access import Access, AccessDenied, Scope
from dashboard.errors import DataError
from dashboard.views import sections
from tests.conftest import CLUSTER, MINISTRY, OPERATOR, row, write_rows
from tests.test_every_query import DEFAULTS, NAMED

LATEST = {  # agency -> (latest type, latest group)
    "A1": ("department", MINISTRY),
    "A2": ("department", MINISTRY),
    "P1": ("province", CLUSTER),
    "N1": ("public_organization", MINISTRY),
}


def person(role="analyst", **scope) -> Access:
    return Access("someone@example.org", role, Scope(**scope))


def allowed(scope: Scope) -> set[str]:
    """The agencies a scope allows, worked out in Python from the table above."""
    if scope.everything:
        return set(LATEST)
    if scope.is_empty:
        return set()
    return {
        code
        for code, (type_, group) in LATEST.items()
        if (scope.agency_types is None or type_ in scope.agency_types)
        and (scope.groups is None or group in scope.groups)
        and (scope.agencies is None or code in scope.agencies)
    }


# --- what a scoped person sees -----------------------------------------------------------------


def test_a_province_scope_sees_only_the_province(tiny):
    s = tiny.scoped(person(agency_types=("province",)))
    assert [r["agency_code"] for r in s.records("agency_list")] == ["P1"]
    summary = sections.summary(s, 2564, 2565)
    assert summary["agencies"] == {"base": 1, "compare": 1}
    # P1: 2564 (10 + 10 + 15) / 40 = 87.5 %; 2565 (9 + 9) / 20 = 90 % (7.1 not assessed leaves both sums)
    assert summary["overall"]["base_mean_pct"] == pytest.approx(87.5)
    assert summary["overall"]["compare_mean_pct"] == pytest.approx(90.0)
    assert summary["overall"]["delta_pts"] == pytest.approx(2.5)


def test_a_ministry_scope_counts_its_own_agencies_in_every_aggregate(tiny):
    s = tiny.scoped(person(groups=(MINISTRY,)))
    years = {r["fiscal_year"]: r for r in s.records("fiscal_years")}
    # 2564: A1 and A2 (3 rows each); 2565: A1 and N1
    assert {y: (r["agencies"], r["criterion_rows"]) for y, r in years.items()} == {2564: (2, 6), 2565: (2, 6)}
    gaps = s.records("criterion_gaps_by_year")
    # Only A2's 1.2 in 2564 was not assessed within the ministry (P1's 7.1 in 2565 is outside it)
    assert [(g["fiscal_year"], g["criterion"], g["agencies_not_assessed"]) for g in gaps] == [(2564, "1.2", 1)]


def test_scope_dimensions_must_all_match(tiny):
    s = tiny.scoped(person(groups=(MINISTRY,), agency_types=("public_organization",)))
    assert [r["agency_code"] for r in s.records("agency_list")] == ["N1"]
    none = tiny.scoped(person(agencies=("A1",), agency_types=("province",)))
    assert none.records("agency_list") == []


@pytest.mark.parametrize("scope", [Scope(), Scope(agency_types=()), Scope(groups=()), Scope(agencies=())])
def test_an_empty_scope_means_nothing(tiny, scope):
    s = tiny.scoped(Access("x@example.org", "admin", scope))
    assert s.records("agency_list") == []
    assert s.years() == []
    with pytest.raises(DataError, match="2564, 2565 .*no data your access covers"):
        sections.summary(s, 2564, 2565)


def test_filters_cannot_widen_a_scope(tiny):
    s = tiny.scoped(person(agency_types=("province",)))
    asked = db.Filters(agency_types=("department",), agencies=("A1", "A2"))
    assert len(s.query("pct_by_agency_category_year", asked)) == 0
    assert set(s.query("score_by_agency_criterion_year", db.Filters(agencies=("A1", "P1")))["agency_code"]) == {"P1"}


def test_an_agency_in_the_scope_is_compared_with_all_its_peers_as_aggregates(tiny, monkeypatch):
    monkeypatch.setattr(access, "MIN_PEERS", 2)  # the tiny folder's peer sets are of 1 to 3 agencies
    own = tiny.scoped(person("viewer", agencies=("A1",)))
    # 2564 totals: A1 (5 + 7 + 10) / 40 = 55 %, A2 (8 + 4) / 30 = 40 %: A1 first of the two departments
    ranks = own.records("rank_by_agency_year", db.Filters(agency_types=("department",)), agency_code="A1")
    assert [(r["fiscal_year"], r["agency_code"], r["position"], r["ranked_agencies"]) for r in ranks] == [
        (2564, "A1", 1, 2),
        (2565, "A1", None, 1),  # A2 left after 2564: a rank among one is below the minimum of two
    ]
    # Category 1 in 2564: A1 12/20 = 60 %, A2 8/10 = 80 %, P1 20/20 = 100 %. The median leaves A1 out
    # and is a mean of the others' middle values: of A2 and P1, 90 %; of A2 alone, none (it is A2's).
    peers = {
        r["peer_set"]: r for r in own.records("peer_pct_by_category", year=2564, agency_code="A1") if r["category"] == 1
    }
    assert (peers["type"]["median_pct"], peers["type"]["agencies"]) == (None, 2)
    assert (peers["all"]["median_pct"], peers["all"]["agencies"]) == (pytest.approx(90.0), 3)
    assert peers["all"]["agency_pct"] == pytest.approx(60.0)


def test_peers_too_few_to_hide_each_other_show_their_count_only(tiny):
    # With the default minimum of five, none of the tiny folder's peer sets is large enough.
    own = tiny.scoped(person("viewer", agencies=("A1",)))
    peers = own.records("peer_pct_by_category", year=2564, agency_code="A1")
    assert all(r["median_pct"] is None and r["q1_pct"] is None for r in peers)
    assert {r["peer_set"]: r["agencies"] for r in peers if r["category"] == 1} == {"group": 2, "type": 2, "all": 3}
    assert peers[0]["agency_pct"] == pytest.approx(60.0)  # its own value stays
    ranks = own.records("rank_by_agency_year", db.Filters(agency_types=("department",)), agency_code="A1")
    assert [(r["position"], r["percentile"], r["pct"]) for r in ranks][0] == (None, None, pytest.approx(55.0))
    # The operator, who sees every agency anyway, sees every set
    assert tiny.records("peer_pct_by_category", year=2564, agency_code="A1")[0]["median_pct"] is not None


def peer_rows(cluster: str, scores: dict[str, float]) -> list[dict]:
    """One province per code, in `cluster`, with one criterion worth 100 points in 2565: its
    category 1 percentage is its score."""
    return [row(2565, code, "1.1", score, 100.0, type_="province", group=cluster) for code, score in scores.items()]


# Own agency first; the others' values are what a naive median or quartile would hand over.
FIVE = {"F1": 10.0, "F2": 30.0, "F3": 50.0, "F4": 70.0, "F5": 90.0}
TEN = {"T1": 5.0, "T2": 12.0, "T3": 21.0, "T4": 33.0, "T5": 38.0, "T6": 47.0, "T7": 62.0, "T8": 71.0, "T9": 84.0}
TEN |= {"T10": 93.0}
FOUR = {"R1": 20.0, "R2": 40.0, "R3": 60.0, "R4": 80.0}


@pytest.fixture(scope="module")
def peers_store(tmp_path_factory) -> db.Store:
    rows = peer_rows("ห้า", FIVE) + peer_rows("สิบ", TEN) + peer_rows("สี่", FOUR)
    return db.Store(write_rows(tmp_path_factory.mktemp("peers") / "scores.parquet", rows).parent, OPERATOR)


def group_stats(store: db.Store, code: str) -> dict:
    [stats] = [
        r for r in store.records("peer_pct_by_category", year=2565, agency_code=code) if r["peer_set"] == "group"
    ]
    return stats


def test_among_five_agencies_a_scoped_person_sees_a_median_of_the_others_and_no_quartiles(peers_store):
    own = peers_store.scoped(person("viewer", agencies=("F1",)))
    stats = group_stats(own, "F1")
    # F1 left out: 30, 50, 70, 90; the middle two's mean is (50 + 70) / 2 = 60. The whole set's median
    # (50) and quartiles (30, 70) would each be another agency's score.
    assert (stats["agencies"], stats["agency_pct"]) == (5, pytest.approx(10.0))
    assert stats["median_pct"] == pytest.approx(60.0)
    assert (stats["q1_pct"], stats["q3_pct"]) == (None, None)


def test_among_ten_agencies_a_scoped_person_sees_quartiles_too(peers_store):
    own = peers_store.scoped(person("viewer", agencies=("T1",)))
    stats = group_stats(own, "T1")
    # T1 left out: 12, 21, 33, 38, 47, 62, 71, 84, 93. Nine values: the middle three's mean is
    # (38 + 47 + 62) / 3 = 49. The quartiles' places, 1 + 8/4 = 3 and 1 + 8 * 3/4 = 7, land on the 3rd
    # and 7th values (33 and 71, two agencies' scores): the mean of the 3rd and 4th is shown,
    # (33 + 38) / 2 = 35.5, and of the 7th and 8th, (71 + 84) / 2 = 77.5.
    assert stats["agencies"] == 10
    assert stats["median_pct"] == pytest.approx(49.0)
    assert (stats["q1_pct"], stats["q3_pct"]) == (pytest.approx(35.5), pytest.approx(77.5))


def test_no_peer_figure_is_another_agencys_score(peers_store):
    # The clusters of five, four and ten (the type and all sets hold 19 agencies, of other clusters too).
    for cluster in (FIVE, FOUR, TEN):
        for code in cluster:
            own = peers_store.scoped(person("viewer", agencies=(code,)))
            stats = group_stats(own, code)
            shown = {stats[k] for k in ("q1_pct", "median_pct", "q3_pct")} - {None}
            assert not shown & {v for c, v in cluster.items() if c != code}, (code, stats)
    # The operator, who sees every agency anyway, gets the whole set's median and quartiles.
    whole = group_stats(peers_store, "F1")
    assert (whole["q1_pct"], whole["median_pct"], whole["q3_pct"]) == (30.0, 50.0, 70.0)


def test_a_rank_is_shown_among_five_agencies_not_among_four(peers_store):
    def rank(code: str, cluster: str) -> tuple:
        own = peers_store.scoped(person("viewer", agencies=(code,)))
        [r] = own.records("rank_by_agency_year", db.Filters(groups=(cluster,)), agency_code=code)
        return r["position"], r["ranked_agencies"]

    assert rank("F1", "ห้า") == (5, 5)  # 10 % is the lowest of the five
    assert rank("R1", "สี่") == (None, 4)


def test_an_agency_outside_the_scope_gets_no_peer_comparison(tiny):
    own = tiny.scoped(person("viewer", agencies=("A1",)))
    assert own.records("rank_by_agency_year", db.Filters(agency_types=("department",)), agency_code="A2") == []
    peers = own.records("peer_pct_by_category", year=2564, agency_code="A2")
    assert all(r["agency_pct"] is None for r in peers)
    assert all(r["agencies"] <= 1 for r in peers)  # the scope's one agency, A1, at most


def test_everything_is_the_same_as_the_unscoped_store(tiny):
    everyone = tiny.scoped(person(everything=True))
    assert everyone.records("agency_list") == tiny.records("agency_list")
    assert sections.summary(everyone, 2564, 2565) == sections.summary(tiny, 2564, 2565)


def test_scoped_and_unscoped_results_are_cached_apart(tiny):
    assert tiny.key != tiny.scoped(person(agency_types=("province",))).key
    assert tiny.scoped(person(agency_types=("province",))).key == tiny.scoped(person(agency_types=("province",))).key


def test_every_kept_table_with_agency_data_is_shadowed_for_a_scope(tiny):
    """A table added to the build must be scoped too (or named here as holding no agency's data)."""
    no_agency_data = {"scheme_levels", "source_meta"}
    with tiny._cursor() as cursor:
        kept = {r[0] for r in cursor.execute("select table_name from duckdb_tables() where not temporary").fetchall()}
    s = tiny.scoped(person(agency_types=("province",)))
    with s._cursor() as cursor:
        shadowed = {
            r[0]
            for r in cursor.execute("select view_name from duckdb_views() where temporary and not internal").fetchall()
        }
    # kept_* results count every agency: a scoped store never reads them (db._statement)
    assert {t for t in kept if not t.startswith("kept_")} - no_agency_data == shadowed


# --- roles ---------------------------------------------------------------------------------------


def test_a_viewer_reads_aggregates_but_not_criterion_rows_nor_exports(tiny):
    viewer = tiny.scoped(person("viewer", everything=True))
    assert len(viewer.query("pct_by_agency_category_year")) > 0
    with pytest.raises(AccessDenied, match="criterion-level"):
        viewer.query("score_by_agency_criterion_year")
    with pytest.raises(AccessDenied, match="export"):
        sections.table(viewer, "agency", via="test")


def test_an_analyst_exports_only_the_scope(tiny):
    analyst = tiny.scoped(person("analyst", groups=(CLUSTER,)))
    rows = sections.table(analyst, "criterion", via="test")
    assert set(rows["agency_code"]) == {"P1"} and len(rows) == 6


def test_roles_allow_what_the_readme_says():
    assert [r for r in access.ROLES if person(r).may("export")] == ["analyst", "admin"]
    assert [r for r in access.ROLES if person(r).may("import")] == ["admin"]
    assert [r for r in access.ROLES if person(r).may("history")] == ["admin"]
    assert not Access("x", "superuser", access.EVERYTHING).may("see")


# --- property: no query returns a row outside the scope -----------------------------------------

codes = st.none() | st.lists(st.sampled_from([*LATEST, "ZZ"]), unique=True, max_size=3).map(tuple)
types = st.none() | st.lists(st.sampled_from(list(access.AGENCY_TYPES)), unique=True, max_size=2).map(tuple)
groups = st.none() | st.lists(st.sampled_from([MINISTRY, CLUSTER]), unique=True, max_size=2).map(tuple)
scopes = st.builds(Scope, everything=st.just(False), agency_types=types, groups=groups, agencies=codes)
selections = st.builds(
    db.Filters,
    years=st.sampled_from([(), (2564,), (2565,), (2564, 2565)]),
    agency_types=st.sampled_from([(), ("department",), ("province",)]),
    agencies=st.sampled_from([(), ("A1",), ("P1", "N1")]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scope=scopes, selection=selections, name=st.sampled_from(NAMED))
def test_no_query_returns_an_agency_outside_the_scope(tiny, scope, selection, name):
    s = tiny.scoped(Access("p@example.org", "admin", scope))
    df = s.query(name, selection, **(DEFAULTS | {"agency_code": "P1"}) | {})
    if "agency_code" in df.columns:
        assert set(df["agency_code"].dropna()) <= allowed(scope)
    if name in access.PEER_QUERIES:  # one agency of the scope against aggregates of all its peers
        return
    for column in ("agencies", "agency_count", "base_agencies", "compare_agencies"):
        if column in df.columns:  # an aggregate counts no agency it may not see
            assert (df[column].dropna() <= len(allowed(scope))).all()


# --- the roles file -------------------------------------------------------------------------------

ROLES = f"""
groups_claim = "groups"

[[person]]
email = "Admin@Example.org"
role = "admin"
scope = "all"

[[person]]
email = "north@example.org"
role = "analyst"
scope = {{ groups = ["{CLUSTER}"] }}

[[group]]
name = "pmqa-viewers"
role = "viewer"
scope = {{ agency_types = ["province", "department"] }}
"""


def test_the_roles_file_maps_people_and_groups(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text(ROLES, encoding="utf-8")
    roles = access.load_roles(path)
    assert roles.for_person("admin@example.org") == Access("admin@example.org", "admin", access.EVERYTHING)
    assert roles.for_person("north@example.org").scope == Scope(groups=(CLUSTER,))
    viewer = roles.for_person("someone@example.org", ["other", "pmqa-viewers"])
    assert (viewer.role, viewer.scope.agency_types) == ("viewer", ("province", "department"))
    assert roles.for_person("someone@example.org", ["other"]) is None
    assert roles.for_person(None) is None


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[person]]\nemail = "a@b"\nrole = "boss"\nscope = "all"', r"person\[0\]: role must be one of"),
        ('[[person]]\nemail = "a@b"\nrole = "viewer"', r"person\[0\]: needs a scope"),
        ('[[person]]\nemail = "a@b"\nrole = "viewer"\nscope = { agency_types = ["city"] }', "no agency type 'city'"),
        ('[[person]]\nemail = "a@b"\nrole = "viewer"\nscope = { ministry = ["x"] }', "unknown scope key 'ministry'"),
        ('[[group]]\nrole = "viewer"\nscope = "all"', r"group\[0\]: needs name"),
        ("[[person]\n", "not a readable TOML file"),
        ('admins = ["a@b"]', "unknown key 'admins'"),
    ],
)
def test_a_broken_roles_file_is_refused_by_entry(tmp_path, text, message):
    path = tmp_path / "roles.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        access.load_roles(path)


def test_a_missing_roles_file_is_named():
    with pytest.raises(DataError, match="no such roles file"):
        access.load_roles(Path("/nonexistent/roles.toml"))


def test_the_example_roles_file_in_docs_is_valid():
    from tests.conftest import ROOT

    roles = access.load_roles(ROOT / "docs" / "roles.example.toml")
    assert roles.for_person("PMQA.Admin@opdc.go.th").role == "admin"
    assert roles.for_person("x@opdc.go.th", ["pmqa-working-group"]).role == "viewer"


def test_a_scoped_brief_says_whose_view_it_is(tiny):
    from dashboard.outputs import brief

    s = tiny.scoped(person("viewer", agency_types=("province",)))
    made = brief.build(s, brief.Selection(2564, 2565, db.Filters(), False, "en"))
    assert "Access: Sees only Agency types: Province" in made.context
    # P1 alone: 90.0 % in 2565, 87.5 % in 2564 (test_a_province_scope_sees_only_the_province)
    assert made.kpis[:2] == [
        ("Agencies assessed, 2565 (2022)", "1", "+0"),
        ("Mean total, 2565 (2022)", "90.0%", "+2.5 pts"),
    ]
    unscoped = brief.build(tiny, brief.Selection(2564, 2565, db.Filters(), False, "en"))
    assert "Access" not in unscoped.context


def test_a_store_opened_without_a_person_fails_closed_and_nobody_sees_nothing(tiny_dir):
    with pytest.raises(TypeError):
        db.Store(tiny_dir)  # forgetting the person is an error, never an administrator's view
    nobody = db.Store(tiny_dir, access.NOBODY)
    assert nobody.years() == [] and nobody.records("agency_list") == []
    with pytest.raises(AccessDenied):
        nobody.query("score_by_agency_criterion_year", db.Filters(), agency_code="A1")
    assert nobody.scoped(OPERATOR).years() == [2564, 2565]  # the app's shared store, as a signed-in person
