"""Revision scenarios (issue 18): a proposal re-scores every agency in SQL; each level below is worked
out by hand from the fixture.

The year 2565 of the fixture's own scheme: basic 50, advance 70, significance 90. Criteria 1.1, 4.1
and 7.1, each out of 10. The proposal drops 4.1 (saturated: nearly everyone has 10), raises 7.1 to
20 (its scores doubled), adds 7.7 out of 20 fed by the candidate indicator `digital` (score =
value / 100 × 20) and lowers advance to 60:

    agency  1.1 4.1 7.1  digital | now: points, %, level       | proposed: points, %, level
    A        8  10   6     50    | 24/30  80.0   advance       | 8+12+10 = 30/50  60.0  advance (exactly the cut-off)
    B        5  10   3     70    | 18/30  60.0   basic         | 5+6+14  = 25/50  50.0  basic (0.7 × 20: floating point)
    C        4  10   2     —     | 16/30  53.3   basic         | 4+4     =  8/30  26.7  below (not assessed on 7.7)
    D        9   9   9     80    | 27/30  90.0   significance  | 9+18+16 = 43/50  86.0  advance
    E        7  10   —     60    | 17/20  85.0   advance       | 7+12    = 19/30  63.3  advance (not assessed on 7.1)
    F        3   2   1      0    |  6/30  20.0   below         | 3+2+0   =  5/50  10.0  below
    G        6  10   4    100    | 20/30  66.7   basic         | 6+8+20  = 34/50  68.0  advance

F and G are provinces, the others departments. Z01, a value for an agency the data does not have,
is named and left out. 2564 repeats 2565 so that a brief has a year pair; no scenario reads it.
"""

from __future__ import annotations

import json
import statistics

import pytest

from dashboard.cli import main
from dashboard.data import access, db, proposal
from dashboard.errors import DataError
from dashboard.views import sections
from tests.conftest import CLUSTER, OPERATOR, row, write_rows

SCORES = {  # agency: (1.1, 4.1, 7.1, digital)
    "A": (8, 10, 6, 50),
    "B": (5, 10, 3, 70),
    "C": (4, 10, 2, None),
    "D": (9, 9, 9, 80),
    "E": (7, 10, None, 60),
    "F": (3, 2, 1, 0),
    "G": (6, 10, 4, 100),
}
PROVINCES = {"F", "G"}
SCHEME = {
    "illustrative": True,
    "levels": [
        {"level": "basic", "label_th": "พื้นฐาน", "label_en": "Basic"},
        {"level": "advance", "label_th": "ก้าวหน้า", "label_en": "Advance"},
        {"level": "significance", "label_th": "โดดเด่น", "label_en": "Significance"},
    ],
    "years": [
        {"fiscal_year": 2564, "cutoffs": {"basic": 50, "advance": 70, "significance": 90}, "criteria": {}},
    ],
}
PROPOSAL = {
    "name_th": "ข้อเสนอ ก",
    "name_en": "Proposal A",
    "cutoffs": {"advance": 60},
    "criteria": {"1.1": 10, "7.1": 20, "7.7": 20},
    "sources": {"7.7": "digital"},
}


def write_indicators(path, rows) -> str:
    lines = ["agency_code,fiscal_year,indicator,value", *(",".join(map(str, r)) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenarios")
    rows = []
    for code, (s11, s41, s71, _) in SCORES.items():
        where = {"type_": "province", "group": CLUSTER} if code in PROVINCES else {}
        for criterion, score in (("1.1", s11), ("4.1", s41), ("7.1", s71)):
            rows.append(row(2565, code, criterion, score, 10.0, **where))
    write_rows(folder / "2565.parquet", rows)
    # 2564, the same agencies and scores, so that a brief has a year before (no scenario reads it)
    write_rows(folder / "2564.parquet", [dict(r, fiscal_year=2564) for r in rows])
    (folder / "scoring_scheme.json").write_text(json.dumps(SCHEME), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    where = tmp_path_factory.mktemp("scenario_files")
    (where / "a.json").write_text(json.dumps(PROPOSAL, ensure_ascii=False), encoding="utf-8")
    values = [(code, 2565, "digital", v[3]) for code, v in SCORES.items() if v[3] is not None]
    values += [("Z01", 2565, "digital", 40), ("A", 2564, "digital", 10)]  # unknown agency; another year
    return where / "a.json", write_indicators(where / "indicators.csv", values)


@pytest.fixture(scope="module")
def store(folder) -> db.Store:
    return db.Store(folder, OPERATOR)


def run(store, files, filters=None, lang="en"):
    path, indicators = files
    return sections.scenario(
        store, 2565, proposal.read(path), proposal.read_indicators(indicators), filters or db.Filters(), lang
    )


def test_levels_now_and_proposed_worked_by_hand(store, files):
    found = run(store, files)
    levels = {lv["level"]: (lv["current"], lv["proposed"]) for lv in found["levels"]}
    assert [lv["level"] for lv in found["levels"]] == ["below", "basic", "advance", "significance"]
    # now: F below; B, C, G basic; A, E advance; D significance. Proposed: C, F below; B basic; A, D, E, G advance
    assert levels == {"below": (1, 2), "basic": (3, 1), "advance": (2, 4), "significance": (1, 0)}


def test_the_agencies_that_change_level(store, files):
    found = run(store, files)["changes"]
    # each moves one level; ties in code order
    assert [(a["agency_code"], a["current_level"], a["proposed_level"]) for a in found] == [
        ("C", "basic", "below"),
        ("D", "significance", "advance"),
        ("G", "basic", "advance"),
    ]
    by_code = {a["agency_code"]: a for a in found}
    assert by_code["C"]["current_pct"] == pytest.approx(100 * 16 / 30)
    assert by_code["C"]["proposed_pct"] == pytest.approx(100 * 8 / 30)
    assert (by_code["D"]["current_pct"], by_code["D"]["proposed_pct"]) == (pytest.approx(90), pytest.approx(86))
    assert by_code["G"]["proposed_pct"] == pytest.approx(68)
    assert by_code["G"]["agency_type"] == "province"


def test_category_means_now_and_proposed(store, files):
    found = {c["category"]: c for c in run(store, files)["categories"]}
    # 1.1 kept as it is: (80+50+40+90+70+30+60)/7 = 60 both ways
    assert (found[1]["current_mean_pct"], found[1]["proposed_mean_pct"]) == (pytest.approx(60), pytest.approx(60))
    # 4.1 dropped: no proposed mean
    assert found[4]["current_mean_pct"] == pytest.approx(610 / 7)
    assert found[4]["proposed_mean_pct"] is None and found[4]["delta_pts"] is None
    # category 7 now: 7.1 of the six assessed (60+30+20+90+10+40)/6; proposed: 7.1 doubled with 7.7,
    # A 22/40, B 20/40, C 4/20, D 34/40, E 12/20, F 2/40, G 28/40 = (55+50+20+85+60+5+70)/7
    assert found[7]["current_mean_pct"] == pytest.approx(250 / 6)
    assert found[7]["proposed_mean_pct"] == pytest.approx(345 / 7)
    assert found[7]["delta_pts"] == pytest.approx(345 / 7 - 250 / 6)


def test_the_candidate_indicator_described(store, files):
    (found,) = run(store, files)["indicators"]
    # the six agencies of the data with a 2565 value: 0, 50, 60, 70, 80, 100 (Z01 is not in the data)
    assert (found["indicator"], found["agencies"], found["mean"]) == ("digital", 6, pytest.approx(60))
    assert (found["min"], found["median"], found["max"]) == (0, pytest.approx(65), 100)
    # DuckDB's quantile_cont interpolates: place 0.25 × 5 = 1.25 is 50 + 0.25 × (60 − 50)
    assert (found["q1"], found["q3"]) == (pytest.approx(52.5), pytest.approx(77.5))
    # six agencies: too few for any correlation
    assert (found["corr_category_7"], found["corr_total"], found["discrimination"]) == (None, None, None)


def test_the_indicators_table_heads_every_figure_in_the_readers_language(store, files):
    """The page's table of candidates (the brief's picks from the same rows): its figures in order,
    headed in Thai or English."""
    found = run(store, files)
    thai = sections.indicators_table(found, "th")
    assert list(thai.columns[:3]) == ["ตัวชี้วัด", "หน่วยงานที่มีค่า", "ค่าเฉลี่ย"]
    english = sections.indicators_table(found, "en")
    assert list(english.columns) == ["Indicator", "Agencies with a value", "Mean", "Min", "Q1", "Median", "Q3"] + [
        "Max", "r with category 7", "r with the total", "Discrimination",
    ]  # fmt: skip
    assert english.iloc[0, :4].tolist() == ["digital", 6, pytest.approx(60), 0]


def test_an_unknown_agency_in_the_indicators_is_named(store, files):
    assert run(store, files)["notices"] == [{"notice": "unknown_agencies", "count": 1, "agencies": "Z01"}]


def test_the_filters_narrow_every_number(store, files):
    found = run(store, files, db.Filters(agency_types=("province",)))
    levels = {lv["level"]: (lv["current"], lv["proposed"]) for lv in found["levels"]}
    assert levels == {"below": (1, 1), "basic": (1, 0), "advance": (0, 1), "significance": (0, 0)}  # F, G
    assert [a["agency_code"] for a in found["changes"]] == ["G"]


def test_a_viewer_sees_counts_only_and_a_scope_its_agencies(store, files):
    viewer = store.scoped(access.Access("v@example.org", "viewer", access.EVERYTHING))
    found = run(viewer, files)
    assert found["changes"] is None and sum(lv["current"] for lv in found["levels"]) == 7
    provinces = store.scoped(access.Access("p@example.org", "analyst", access.Scope(agency_types=("province",))))
    found = run(provinces, files)
    assert [a["agency_code"] for a in found["changes"]] == ["G"]
    assert sum(lv["proposed"] for lv in found["levels"]) == 2
    # the departments' values (A, B, D, E; C has none) are outside the scope: named like Z01, an
    # agency the data does not have, and never described
    assert found["indicators"][0]["agencies"] == 2 and found["notices"][0]["count"] == 5


def test_without_criteria_the_year_is_kept_and_only_the_cut_offs_move(store, tmp_path):
    path = tmp_path / "cutoffs.json"
    path.write_text(json.dumps({"cutoffs": {"basic": 55}}), encoding="utf-8")
    found = sections.scenario(store, 2565, proposal.read(path), proposal.NO_INDICATORS, db.Filters(), "en")
    # only C (53.3 %) falls below the raised basic cut-off; the totals do not move
    assert [(a["agency_code"], a["proposed_level"]) for a in found["changes"]] == [("C", "below")]
    assert found["changes"][0]["proposed_pct"] == pytest.approx(found["changes"][0]["current_pct"])
    assert found["proposal"]["name"] == "cutoffs"  # a proposal without a name is called after its file


# --- malformed proposals and indicators, one by one ------------------------------------------------


@pytest.mark.parametrize(
    "doc, key",
    [
        ("{not json", "not a JSON proposal"),
        ("[1, 2]", "key (top)"),
        ({"criteria": {"1.1": -3}}, "key criteria.1.1: the maximum must be a number above zero"),
        ({"criteria": {"1.1": "ten"}}, "key criteria.1.1"),
        ({"criteria": {"1.1": True}}, "key criteria.1.1"),
        ({"criteria": {"one": 10}}, "key criteria.one"),
        ({"cutoffs": {"basic": "50"}}, "key cutoffs.basic"),
        (
            {"cutoffs": {"basic": 75}},
            "key cutoffs: cut-offs must rise with the level; advance 70 is not above basic 75",
        ),
        ({"cutoffs": {"gold": 95}}, "key cutoffs.gold: not a level"),
        ({"criteria": {"1.1": 10, "7.8": 20}}, "key criteria.7.8: fiscal year 2565 has no such criterion"),
        ({"criteria": {"1.1": 10, "7.8": 20}, "sources": {"7.8": "engagement"}}, "key sources.7.8: indicator"),
        ({"sources": {"7.8": "digital"}}, "key sources.7.8"),
        ({"criterion": {"1.1": 10}}, "key criterion: is not a key of a proposal"),
        ({"name_th": ""}, "key name_th"),
        # 1e308 would overflow the sums into infinity, and every agency would reach the top level
        (
            {"criteria": {"1.1": 1e308, "7.1": 1e308}},
            "key criteria.1.1: the maximum must be a number above zero, at most",
        ),
        ('{"cutoffs": {"advance": 60, "advance": 70}}', "key advance: is given twice"),
        ('{"name_th": "ก", "name_th": "ข"}', "key name_th: is given twice"),
    ],
)
def test_a_malformed_proposal_is_one_line_naming_the_key(folder, files, tmp_path, capsys, doc, key):
    path = tmp_path / "bad.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    code = main(["whatif", "--data", str(folder), "--year", "2565", "--proposal", str(path), "--indicators", files[1]])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and key in err[0] and "bad.json" in err[0], err


def test_a_proposal_that_is_not_a_file_is_refused_without_reading_it(folder, tmp_path, capsys):
    """A pipe would hang the command and /dev/zero would fill the memory: neither is read."""
    import os

    pipe = tmp_path / "proposal.json"
    os.mkfifo(pipe)
    for path in (pipe, "/dev/zero", tmp_path):
        assert main(["whatif", "--data", str(folder), "--year", "2565", "--proposal", str(path)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "not a file; a proposal is a JSON file" in err[0], err


@pytest.mark.parametrize(
    "rows, message",
    [
        ([("A", 2565, "digital", 101)], "row 2, column value: 101 is not a share of the maximum from 0 to 100"),
        ([("A", 2565, "digital", 100.0001)], "row 2, column value: 100.0001 is not a share"),  # not "100"
        ([("A", 2565, "digital", -1)], "row 2, column value"),
        ([("A", 2565, "digital", "high")], "row 2, column value"),
        ([("A", 2565, "digital", 5), ("A", 2565, "digital", 6)], "row 3: A has a second value of digital in 2565"),
        ([("A", 2022, "digital", 5)], "row 2, column fiscal_year: a B.E. fiscal year"),
        ([(" A", 2565, "digital", 5)], "row 2, column agency_code"),
    ],
)
def test_a_bad_indicators_file_is_one_line_naming_the_row(tmp_path, rows, message):
    with pytest.raises(DataError, match=message):
        proposal.read_indicators(write_indicators(tmp_path / "ind.csv", rows))


def test_an_indicators_file_of_too_many_candidates_is_refused_before_any_query(tmp_path):
    """Each candidate multiplies the rows the scenario's SQL makes: 51 are refused, 50 are read."""
    rows = [("A", 2565, f"candidate {i}", 50) for i in range(51)]
    with pytest.raises(DataError, match="51 different indicators; an indicators file holds at most 50 candidates"):
        proposal.read_indicators(write_indicators(tmp_path / "ind.csv", rows))
    assert len(proposal.read_indicators(write_indicators(tmp_path / "ok.csv", rows[:50])).names()) == 50


def test_a_proposal_of_too_many_criteria_is_refused(tmp_path):
    doc = {"criteria": {f"7.{i}": 10 for i in range(1, 502)}}
    with pytest.raises(DataError, match="key criteria: names 501 criteria; a proposal has at most 500"):
        proposal.parse(json.dumps(doc), "big.json")


def test_an_indicators_file_without_its_columns(tmp_path):
    path = tmp_path / "ind.csv"
    path.write_text("agency,year,value\nA,2565,5\n", encoding="utf-8")
    with pytest.raises(DataError, match="needs the columns agency_code, fiscal_year, indicator, value; missing"):
        proposal.read_indicators(path)


def test_an_empty_value_is_not_assessed(tmp_path):
    path = tmp_path / "ind.csv"
    path.write_text("agency_code,fiscal_year,indicator,value\nA,2565,digital,\nB,2565,digital,40\n", encoding="utf-8")
    assert proposal.read_indicators(path).rows == (("B", 2565, "digital", 40.0),)


# --- the command line ------------------------------------------------------------------------------


def test_whatif_json_has_the_issues_shape(folder, files, capsys):
    path, indicators = files
    code = main(
        [
            "whatif",
            "--data",
            str(folder),
            "--year",
            "2565",
            "--proposal",
            str(path),
            "--indicators",
            indicators,
            "--json",
        ]
    )
    found = json.loads(capsys.readouterr().out)
    assert code == 0 and list(found) == ["year", "proposal", "levels", "changes", "indicators"]
    assert found["levels"][0] == {"level": "below", "label": None, "current": 1, "proposed": 2}
    assert set(found["changes"][0]) == {
        "agency_code", "agency_name", "agency_type", "agency_group",
        "current_level", "proposed_level", "current_pct", "proposed_pct",
    }  # fmt: skip
    assert {"indicator", "agencies", "mean", "corr_category_7", "corr_total"} <= set(found["indicators"][0])


def test_whatif_table_names_the_moves(folder, files, capsys):
    path, indicators = files
    assert (
        main(["whatif", "--data", str(folder), "--year", "2565", "--proposal", str(path), "--indicators", indicators])
        == 0
    )
    out = capsys.readouterr().out
    assert "3 agencies change level:" in out
    assert "Significance -> Advance" in out.replace("  ", " ").replace("  ", " ")


def test_whatif_refuses_an_unknown_year(folder, files, capsys):
    assert main(["whatif", "--data", str(folder), "--year", "2570", "--proposal", str(files[0])]) == 1
    assert "no data for fiscal year 2570" in capsys.readouterr().err


# --- correlations against a direct computation -----------------------------------------------------


def test_the_candidates_correlations_are_the_direct_computation(tmp_path):
    """Twelve agencies, so every correlation exists: r of the value with category 7 %, with the total %
    now, and with the proposed total over the criteria it does not feed (statistics.correlation)."""
    scores = {f"K{i:02d}": (i % 5 + 3, (i * 7) % 11, (i * 3) % 7 + 2) for i in range(12)}  # 1.1, 7.1, 7.2 of 10
    values = {code: float((i * 37) % 101) for i, code in enumerate(scores)}
    rows = [
        row(2565, code, criterion, float(s), 10.0)
        for code, triple in scores.items()
        for criterion, s in zip(("1.1", "7.1", "7.2"), triple, strict=True)
    ]
    write_rows(tmp_path / "data" / "2565.parquet", rows)
    (tmp_path / "data" / "scoring_scheme.json").write_text(json.dumps(SCHEME), encoding="utf-8")
    doc = {"criteria": {"1.1": 10, "7.1": 10, "7.2": 10, "7.7": 10}, "sources": {"7.7": "digital"}}
    (tmp_path / "p.json").write_text(json.dumps(doc), encoding="utf-8")
    ind = write_indicators(tmp_path / "i.csv", [(c, 2565, "digital", v) for c, v in values.items()])
    store = db.Store(tmp_path / "data", OPERATOR)
    (found,) = sections.scenario(
        store, 2565, proposal.read(tmp_path / "p.json"), proposal.read_indicators(ind), db.Filters(), "en"
    )["indicators"]
    codes = sorted(scores)
    xs = [values[c] for c in codes]
    cat7 = [100 * (scores[c][1] + scores[c][2]) / 20 for c in codes]
    total = [100 * sum(scores[c]) / 30 for c in codes]  # the rest of the proposal is today's criteria
    assert found["corr_category_7"] == pytest.approx(statistics.correlation(xs, cat7))
    assert found["corr_total"] == pytest.approx(statistics.correlation(xs, total))
    assert found["discrimination"] == pytest.approx(statistics.correlation(xs, total))
    assert found["mean"] == pytest.approx(statistics.mean(xs))


# --- the brief ------------------------------------------------------------------------------------


def test_the_brief_carries_the_scenario(folder, files, tmp_path, monkeypatch):
    """`pmqa brief --proposal --indicators` as an Excel file, opened again: the level table now and
    proposed, the proposal in a sentence, the agencies that change, the candidate; the audit line
    names the proposal."""
    import openpyxl

    from dashboard.data import audit

    monkeypatch.setenv("PMQA_AUDIT_DIR", str(tmp_path / "audit"))
    path, indicators = files
    out = tmp_path / "brief.xlsx"
    args = ["brief", "--data", str(folder), "--base", "2564", "--compare", "2565", "--lang", "en", "--out", str(out)]
    assert main([*args, "--proposal", str(path), "--indicators", indicators]) == 0
    book = openpyxl.load_workbook(out)
    assert {"Scenario 1", "Scenario 1 changes", "Scenario 1 indicators"} <= set(book.sheetnames)
    levels = [[c.value for c in row] for row in book["Scenario 1"].iter_rows(min_row=2, max_row=5)]
    assert [(r[0], r[1], r[3]) for r in levels] == [
        ("Below the first level", 1, 2),
        ("Basic", 3, 1),
        ("Advance", 2, 4),
        ("Significance", 1, 0),
    ]
    assert levels[0][2] == pytest.approx(100 / 7) and levels[2][4] == pytest.approx(400 / 7)
    moved = [[c.value for c in row] for row in book["Scenario 1 changes"].iter_rows(min_row=2)]
    assert [(r[0], r[2], r[3]) for r in moved if r[0]] == [
        ("C", "Basic", "Below the first level"),
        ("D", "Significance", "Advance"),
        ("G", "Basic", "Advance"),
    ]
    # the sheets have no titles: the selection sheet names the scenario and what it proposes
    selection = {row[0]: row[1] for row in book["Selection"].iter_rows(values_only=True)}
    assert selection["Scenario 1"].startswith('Scenario "Proposal A", fiscal 2565 (2022): agencies per level: ')
    assert selection["Scenario 1"].endswith("new criterion 7.7 out of 20, from the indicator digital")
    (line,) = audit.read(tmp_path / "audit" / audit.FILE)
    assert line["scenarios"][0]["proposal"] == "a.json" and line["scenarios"][0]["indicators"] == "indicators.csv"


def test_the_brief_reads_the_proposal_in_a_sentence(store, files):
    text = sections.proposal_text(store, 2565, proposal.read(files[0]), "en")
    assert text == (
        "Advance cut-off 60% (now 70%); criteria 4.1 dropped; 7.1's maximum 10 → 20; "
        "new criterion 7.7 out of 20, from the indicator digital"
    )


def test_a_brief_with_a_malformed_proposal_is_refused_before_any_work(folder, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"criteria": {"1.1": 10, "7.8": 5}}), encoding="utf-8")
    out = tmp_path / "brief.pdf"
    args = ["brief", "--data", str(folder), "--base", "2564", "--compare", "2565", "--out", str(out)]
    assert main([*args, "--proposal", str(bad)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "criteria.7.8: fiscal year 2565 has no such criterion" in err[0]
    assert not out.exists()
