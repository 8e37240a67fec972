"""One test per class of malformed export: `validate` names the file, the column and the key."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dashboard.data import db, validation
from tests.conftest import OPERATOR, cli, folder_checksum, row, tiny_rows, write_rows, write_tiny


def good_rows():
    return tiny_rows()[2564]


def problems(folder) -> list[str]:
    return [str(p) for p in validation.validate(folder).problems]


def test_the_tiny_folder_is_valid(tiny_dir):
    result = cli("validate", tiny_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK:") and "2 Parquet files" in result.stdout


def edited(change):
    rows = good_rows()
    change(rows)
    return rows


BAD_ROWS = {
    "category outside 1-7": (
        lambda rows: rows.__setitem__(0, rows[0] | {"category": 8, "criterion": "8.1"}),
        "column category, key 2564/A1/8.1 (row 1): category 8 is outside 1–7",
    ),
    "criterion of another category": (
        lambda rows: rows.__setitem__(1, rows[1] | {"criterion": "2.1"}),
        "column criterion, key 2564/A1/2.1 (row 2): criterion 2.1 does not belong to its category",
    ),
    "negative score": (
        lambda rows: rows.__setitem__(0, rows[0] | {"score": -1.0}),
        "column score, key 2564/A1/1.1 (row 1): score -1.0 is negative",
    ),
    "score above max": (
        lambda rows: rows.__setitem__(2, rows[2] | {"score": 25.0}),
        "column score, key 2564/A1/7.1 (row 3): score 25.0 is above max_score",
    ),
    "max_score not positive": (
        lambda rows: rows.__setitem__(3, rows[3] | {"max_score": 0.0}),
        "column max_score, key 2564/A2/1.1 (row 4): max_score 0.0 is not above zero",
    ),
    "missing agency_code": (
        lambda rows: rows.__setitem__(4, rows[4] | {"agency_code": None}),
        "column agency_code, key 2564/?/1.2 (row 5): agency_code is empty",
    ),
    "C.E. year": (
        lambda rows: rows.__setitem__(0, rows[0] | {"fiscal_year": 2021}),
        "column fiscal_year, key 2021/A1/1.1 (row 1): fiscal_year 2021 is not a Buddhist Era year",
    ),
    "unknown agency type": (
        lambda rows: rows.__setitem__(0, rows[0] | {"agency_type": "ministry"}),
        "column agency_type, key 2564/A1/1.1 (row 1): agency_type 'ministry' is not one of",
    ),
    # the same agency written two ways would count twice (or merge and double its rows)
    "agency code with a trailing space": (
        lambda rows: rows.__setitem__(1, rows[1] | {"agency_code": "A1 "}),
        "column agency_code, key 2564/A1 /1.2 (row 2): agency_code 'A1 ' has a space, line break or control",
    ),
    "agency code with a leading non-breaking space": (
        lambda rows: rows.__setitem__(1, rows[1] | {"agency_code": "\u00a0A1"}),
        "column agency_code, key 2564/\\xa0A1/1.2 (row 2): agency_code '\\xa0A1' has a space",
    ),
    "agency code with a control character inside": (
        lambda rows: rows.__setitem__(1, rows[1] | {"agency_code": "A\x001"}),
        "column agency_code, key 2564/A\\x001/1.2 (row 2): agency_code 'A\\x001' has a space",
    ),
    "agency code with a zero-width space": (
        lambda rows: rows.__setitem__(1, rows[1] | {"agency_code": "A1\u200b"}),
        "column agency_code, key 2564/A1\\u200b/1.2 (row 2): agency_code 'A1\\u200b' has a space",
    ),
    "score not a number": (
        lambda rows: rows.__setitem__(0, rows[0] | {"score": float("nan")}),
        "column score, key 2564/A1/1.1 (row 1): nan is not a finite number",
    ),
    "infinite maximum": (
        lambda rows: rows.__setitem__(0, rows[0] | {"max_score": float("inf")}),
        "column max_score, key 2564/A1/1.1 (row 1): inf is not a finite number",
    ),
    "a score too large to sum": (
        lambda rows: rows.__setitem__(0, rows[0] | {"score": 1e300, "max_score": 1e308}),
        "column score, key 2564/A1/1.1 (row 1): 1e+300 is larger than 1,000,000 points",
    ),
    "criterion with a leading zero": (
        lambda rows: rows.__setitem__(0, rows[0] | {"criterion": "1.01"}),
        "column criterion, key 2564/A1/1.01 (row 1): criterion '1.01' is not a dotted code",
    ),
    "criterion without a dot": (
        lambda rows: rows.__setitem__(0, rows[0] | {"criterion": "1"}),
        "column criterion, key 2564/A1/1 (row 1): criterion '1' is not a dotted code",
    ),
    "criterion with a zero part": (
        lambda rows: rows.__setitem__(0, rows[0] | {"criterion": "1.0.2"}),
        "column criterion, key 2564/A1/1.0.2 (row 1): criterion '1.0.2' is not a dotted code",
    ),
    "criterion with an empty part": (
        lambda rows: rows.__setitem__(0, rows[0] | {"criterion": "1..2"}),
        "column criterion, key 2564/A1/1..2 (row 1): criterion '1..2' is not a dotted code",
    ),
}


@pytest.mark.parametrize("change,expected", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_bad_row_is_named(tmp_path, change, expected):
    write_rows(tmp_path / "bad.parquet", edited(change))
    before = folder_checksum(tmp_path)
    result = cli("validate", tmp_path)
    assert result.returncode == 1
    assert f"bad.parquet, {expected}" in result.stdout
    assert "Traceback" not in result.stderr
    assert folder_checksum(tmp_path) == before


def test_a_row_breaking_several_rules_is_named_once_for_each(tmp_path):
    """Each rule is one bit of a row (queries/validation/contract_problems.sql): a row with no year, an
    unknown type, a blank code and a maximum too large to sum has four problems, said in column order;
    the row after it, with a score above a maximum that is not above zero, two."""
    rows = good_rows()
    rows[0] |= {"fiscal_year": None, "agency_type": "ministry", "agency_code": " ", "max_score": 2e6}
    rows[1] |= {"score": 5.0, "max_score": -1.0}
    write_rows(tmp_path / "bad.parquet", rows)
    assert problems(tmp_path) == [
        "bad.parquet, column agency_code, key ?/ /1.1 (row 1): agency_code is empty",
        "bad.parquet, column agency_code, key ?/ /1.1 (row 1): agency_code ' ' has a space, line break or "
        "control character at its start or end, or a control character inside: write the code alone",
        "bad.parquet, column agency_type, key ?/ /1.1 (row 1): agency_type 'ministry' is not one of "
        "department, province, public_organization",
        "bad.parquet, column fiscal_year, key ?/ /1.1 (row 1): fiscal_year is empty",
        "bad.parquet, column max_score, key ?/ /1.1 (row 1): 2000000.0 is larger than 1,000,000 points",
        "bad.parquet, column max_score, key 2564/A1/1.2 (row 2): max_score -1.0 is not above zero",
        "bad.parquet, column score, key 2564/A1/1.2 (row 2): score 5.0 is above max_score",
    ]


def test_missing_column(tmp_path):
    rows = [{k: v for k, v in r.items() if k != "max_score"} for r in good_rows()]
    write_rows(tmp_path / "no_max.parquet", rows)
    assert problems(tmp_path) == ["no_max.parquet, column max_score: missing column"]


def test_wrong_column_type(tmp_path):
    rows = [r | {"score": str(r["score"])} for r in good_rows()]
    write_rows(tmp_path / "text_scores.parquet", rows, score=pa.string())
    assert problems(tmp_path) == ["text_scores.parquet, column score: has type string, expected number"]


def test_duplicate_key_across_files(tmp_path):
    write_rows(tmp_path / "a.parquet", good_rows())
    write_rows(tmp_path / "b.parquet", good_rows()[:1])
    found = problems(tmp_path)
    assert (
        "a.parquet, column criterion, key 2564/A1/1.1 (row 1): (fiscal_year, agency_code, criterion) occurs 2 times"
        in found
    )
    assert (
        "b.parquet, column criterion, key 2564/A1/1.1 (row 1): (fiscal_year, agency_code, criterion) occurs 2 times"
        in found
    )
    assert len(found) == 2


def test_keys_given_twice_are_found_among_more_criteria_than_one_block_of_bits(tmp_path):
    """Repeats are found per agency, year and block of 64 criteria (a bit per criterion): A1 has 130
    criteria, so three blocks, and repeats 1.7 once and 1.100 twice; A2 has the same 130 once each,
    and A1 has 1.7 again in 2564, a year of its own. Exactly the five rows of the two repeated keys
    are named, each with its own count."""
    criteria = [f"1.{n}" for n in range(1, 131)]
    rows = [row(2565, code, c, 1, 10) for code in ("A1", "A2") for c in criteria]
    rows += [row(2565, "A1", "1.100", 2, 10), row(2565, "A1", "1.7", 3, 10), row(2565, "A1", "1.100", 4, 10)]
    rows += [row(2564, "A1", "1.7", 5, 10)]
    write_rows(tmp_path / "a.parquet", rows)
    found = [(p.row, p.code, p.detail) for p in validation.validate(tmp_path).problems]
    # rows (0-based): A1's 1.7 is row 6 and its 1.100 row 99; the repeats follow both agencies' 260 rows
    assert found == [
        (6, "duplicate_key", "2"),
        (99, "duplicate_key", "3"),
        (260, "duplicate_key", "3"),
        (261, "duplicate_key", "2"),
        (262, "duplicate_key", "3"),
    ]


def test_problems_of_one_cell_come_in_one_order_every_time(tmp_path):
    """Criterion 1.1 written twice under category 2: each row's criterion cell breaks two rules. They
    tied on file, row and column, so their order changed from run to run (found by a probe)."""
    rows = [row(2565, "A1", "1.1", 5, 10, category=2), row(2565, "A1", "1.1", 6, 10, category=2)]
    write_rows(tmp_path / "a.parquet", rows)
    runs = [[(p.row, p.code) for p in validation.validate(tmp_path).problems] for _ in range(8)]
    assert runs[0] == [(r, c) for r in (0, 1) for c in ("criterion_wrong_category", "duplicate_key")]
    assert all(run == runs[0] for run in runs)


def test_corrupt_file(tmp_path):
    write_tiny(tmp_path)
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    result = cli("validate", tmp_path)
    assert result.returncode == 1
    assert "broken.parquet: unreadable or corrupt Parquet file" in result.stdout
    assert "Traceback" not in result.stderr


def test_no_parquet_file(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing here")
    result = cli("validate", tmp_path)
    assert result.returncode == 1
    assert "no Parquet file in this folder or below it" in result.stdout


def test_missing_folder(tmp_path):
    result = cli("validate", tmp_path / "nope")
    assert result.returncode == 1 and "no such folder" in result.stdout


def test_many_problems_are_capped_and_counted(tmp_path):
    rows = [row(2564, f"X{i}", "1.1", -1.0, 10.0) for i in range(validation.MAX_PROBLEMS + 50)]
    write_rows(tmp_path / "many.parquet", rows)
    report = validation.validate(tmp_path)
    assert report.total_problems == validation.MAX_PROBLEMS + 50
    assert len(report.problems) == validation.MAX_PROBLEMS


def test_store_refuses_an_invalid_folder(tmp_path):
    write_rows(tmp_path / "bad.parquet", edited(BAD_ROWS["negative score"][0]))
    with pytest.raises(db.DataError, match="does not meet the data contract"):
        db.Store(tmp_path, OPERATOR)
    result = cli("summary", "--base", 2564, "--compare", 2565, data=tmp_path)
    assert result.returncode == 1 and "score -1.0 is negative" in result.stderr
    assert "Traceback" not in result.stderr


def test_codes_that_differ_only_by_whitespace_are_refused_not_merged(tmp_path):
    rows = good_rows() + [row(2564, "A1 ", "1.1", 5.0, 10.0)]  # "A1" and "A1 ": one agency or two?
    write_rows(tmp_path / "twice.parquet", rows)
    found = problems(tmp_path)
    assert found == [
        "twice.parquet, column agency_code, key 2564/A1 /1.1 (row 10): agency_code 'A1 ' has a space, line break "
        "or control character at its start or end, or a control character inside: write the code alone"
    ]


def test_extra_columns_never_change_what_the_checks_see(tmp_path):
    # columns named like the rule SQL's own names: before, they shadowed or broke the checks
    extra = {"row_key": "x", "criterion_category": 1, "occurrences": 1, "total_problems": 0, "problem": "none"}
    rows = [r | extra for r in good_rows()]
    table = pa.Table.from_pylist(rows)
    import pyarrow.parquet as pq

    pq.write_table(table, tmp_path / "extra.parquet")
    assert validation.validate(tmp_path).ok
    rows[0] = rows[0] | {"score": -1.0}
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "extra.parquet")
    assert problems(tmp_path) == ["extra.parquet, column score, key 2564/A1/1.1 (row 1): score -1.0 is negative"]


def test_a_column_named_like_the_readers_own_is_refused(tmp_path):
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([r | {"filename": "x.csv"} for r in good_rows()]), tmp_path / "f.parquet")
    result = cli("validate", tmp_path)
    assert result.returncode == 1 and "f.parquet, column filename: reserved column name" in result.stdout
    assert "Traceback" not in result.stderr


def test_duplicate_column_names_are_refused(tmp_path):
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(good_rows())
    doubled = pa.table(table.columns + [table["score"]], names=table.column_names + ["score"])
    pq.write_table(doubled, tmp_path / "dup.parquet")
    result = cli("validate", tmp_path)
    assert result.returncode == 1 and "dup.parquet, column score: the column name occurs 2 times" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "scheme,expected",
    [
        ("{not json", "not a readable scoring scheme (JSONDecodeError"),
        ("[]", "scoring scheme key (top): the file must hold a JSON object"),
        ('{"levels": []}', "scoring scheme key levels: must be a non-empty list"),
        (
            '{"levels": [{"level": "basic", "label_th": "x", "label_en": "Basic"}], '
            '"years": [{"fiscal_year": 2565, "cutoffs": {"basic": "fifty"}}]}',
            "scoring scheme key years[0].cutoffs.basic: must be a percentage from 0 to 100",
        ),
        (
            '{"levels": [{"level": "basic", "label_th": "x", "label_en": "Basic"}], '
            '"years": [{"fiscal_year": 2565, "cutoffs": {"basic": 50}, "criteria": {"1.1": 0}}]}',
            "scoring scheme key years[0].criteria.1.1: must be a number above zero",
        ),
        (
            '{"levels": [{"level": "basic", "label_th": "x"}], "years": []}',
            "scoring scheme key levels[0].label_en: must be a non-empty text",
        ),
        (
            '{"levels": [{"level": "basic", "label_th": "x", "label_en": "Basic"}], '
            '"years": [{"fiscal_year": 2565, "cutoffs": {"basic": 50}}], '
            '"criterion_names": {"1.1": {"name_th": "การนำ", "name_en": " "}}}',
            "scoring scheme key criterion_names.1.1.name_en: must be a non-empty text",
        ),
    ],
    ids=["not-json", "not-object", "no-levels", "text-cutoff", "zero-maximum", "no-label", "blank-name"],
)
def test_a_malformed_scoring_scheme_names_the_file_and_the_key(tmp_path, scheme, expected):
    write_tiny(tmp_path)
    (tmp_path / "scoring_scheme.json").write_text(scheme, encoding="utf-8")
    result = cli("validate", tmp_path)
    assert result.returncode == 1
    assert f"{tmp_path / 'scoring_scheme.json'}: {expected}" in result.stdout
    summary = cli("summary", "--base", 2564, "--compare", 2565, data=tmp_path)
    assert summary.returncode == 1 and expected in summary.stderr and "Traceback" not in summary.stderr


def test_a_folder_without_a_single_row_is_refused(tmp_path):
    import pyarrow.parquet as pq

    from tests.conftest import SCHEMA

    pq.write_table(pa.schema(SCHEMA).empty_table(), tmp_path / "empty.parquet")
    result = cli("validate", tmp_path)
    assert result.returncode == 1 and "the data has no rows" in result.stdout


def test_summary_json_never_holds_infinity(tmp_path):
    write_rows(tmp_path / "inf.parquet", edited(BAD_ROWS["infinite maximum"][0]))
    result = cli("summary", "--base", 2564, "--compare", 2564, "--json", data=tmp_path)
    assert result.returncode == 1 and "Infinity" not in result.stdout


def test_every_criterion_of_the_bundled_scheme_has_a_name_in_both_languages():
    from dashboard.data import scheme

    bundled = scheme.load(db.SAMPLE_DIR)
    for code in set(bundled.criteria["criterion"]):
        assert code in bundled.names, f"{code} has no name of its own"
        assert bundled.names[code]["th"] and bundled.names[code]["en"]
    # a criterion without a name of its own takes its sub-item's; a code outside the scheme, none
    assert bundled.criterion_name("1.1.9", "th") == bundled.names["1.1"]["th"]
    assert bundled.label("9.9", "en") == "9.9"
