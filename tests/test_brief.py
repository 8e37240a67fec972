"""The meeting pack: each format written, opened again with its reader, and checked for what a
reader would look for. The tiny folder's numbers are worked out by hand (tests/conftest.py):
2565 mean total (65 + 90 + 40) / 3 = 65.0%, 2564 (55 + 40 + 87.5) / 3 = 60.8%, so +4.2 points;
mean points 2565 (26 + 18 + 16) / 3 = 20.0 of 40, 2564 (22 + 12 + 35) / 3 = 23.0.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pypdf
import pytest
from pptx import Presentation

from dashboard.data import db
from dashboard.data.db import Filters
from dashboard.outputs import brief, pack
from tests import test_criteria
from tests.conftest import MINISTRY, OPERATOR, ROOT, cli, row, write_rows

ARTIFACTS = ROOT / "tests" / "artifacts"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_brief_says_what_the_tiny_folder_holds(tiny):
    b = brief.build(tiny, brief.Selection(2564, 2565, lang="th"))
    assert b.kpis == [
        ("หน่วยงานที่ได้รับการประเมิน ปี 2565", "3", "+0"),
        ("ค่าเฉลี่ยร้อยละของคะแนนรวม ปี 2565", "65.0%", "+4.2 จุด"),
        ("คะแนนรวมเฉลี่ย ปี 2565", "20.0 / 40", "-3.0 คะแนน"),
    ]
    cats = b.table("categories").frame.set_index("category")
    assert cats.loc[1, "base_pct"] == pytest.approx(80.0) and cats.loc[1, "compare_pct"] == pytest.approx(200 / 3)
    items = b.table("results").frame
    assert items[["criterion", "criterion_name"]].values.tolist() == [["7.1", "ผลลัพธ์ด้านประสิทธิผลและการบรรลุพันธกิจ"]]
    assert b.footer.startswith(f"ข้อมูล: {tiny.data_dir.name}, files ")  # a data version, never a path
    assert str(tiny.data_dir) not in b.footer + str(b.about)


@pytest.fixture(scope="module")
def sample_files(sample, tmp_path_factory):
    """The sample's brief in each format, in Thai (the PDF also in English)."""
    out = tmp_path_factory.mktemp("briefs")
    files = {}
    for name, lang in (("th.pdf", "th"), ("en.pdf", "en"), ("th.pptx", "th"), ("en.pptx", "en"), ("th.xlsx", "th")):
        pack.make(sample, brief.Selection(2564, 2565, lang=lang), out / name)
        files[name] = out / name
    return files


@pytest.mark.browser  # charts drawn in chromium
def test_the_pdf_is_a4_thai_searchable_and_embeds_its_font(sample_files, sample):
    data = sample_files["th.pdf"].read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    fonts = {f.get_object()["/BaseFont"] for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any("Sarabun" in f for f in fonts)
    text = pdf_text(data)
    s = brief.build(sample, brief.Selection(2564, 2565))
    for expected in ("ผลการประเมิน PMQA 4.0 ปี 2565 เทียบกับปี 2564", s.kpis[1][1], "+2.2 จุด", "313.2 / 500"):
        assert expected in text
    assert "files " in text and "ข้อมูลตัวอย่างสังเคราะห์" in text  # data version and the synthetic mark in the footer
    assert len(reader.pages) >= 3  # the movers table runs over a page, its header repeated
    assert text.count("ทิศทาง") >= 2
    if shutil.which("pdftoppm"):  # pages as pictures, for a person to look at
        ARTIFACTS.mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "70", "-png", sample_files["th.pdf"], ARTIFACTS / "brief_th"], check=True)
        subprocess.run(
            ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", sample_files["en.pdf"], ARTIFACTS / "brief_en"],
            check=True,
        )
    assert "Results in 2565 (2022) rose 2.2 pts" in pdf_text(sample_files["en.pdf"].read_bytes())


@pytest.mark.browser  # charts drawn in chromium
def test_the_pptx_has_editable_text_and_pictures(sample_files):
    prs = Presentation(sample_files["th.pptx"])
    cover = " ".join(shape.text_frame.text for shape in prs.slides[0].shapes if shape.has_text_frame)
    assert "ผลการประเมินปี 2565 ดีขึ้น 2.2 จุด" in cover and "313.2 / 500" in cover
    pictures = [s for slide in prs.slides for s in slide.shapes if s.shape_type == 13]  # 13: a picture
    assert len(pictures) == 3


def _slide_title(slide) -> str:
    return next(s.text_frame.paragraphs[0].text for s in slide.shapes if s.has_text_frame)


@pytest.mark.browser  # charts drawn in chromium
def test_the_pptx_shows_every_row_numbers_right_and_thai_in_tahoma(sample_files, sample):
    """Issue 19, point 12: the movers slide stopped at 12 of its rows; numbers were left-aligned; the
    font was Sarabun for Latin only, so Thai fell back to whatever the computer had."""
    from pptx.enum.text import PP_ALIGN
    from pptx.oxml.ns import qn

    prs = Presentation(sample_files["th.pptx"])
    made = brief.build(sample, brief.Selection(2564, 2565, lang="th"))
    movers = made.table("movers")
    assert len(movers.frame) > 30  # 5 rises and 5 falls a category where there are that many
    shown = []
    for slide in prs.slides:
        if _slide_title(slide).startswith(movers.title):
            for shape in slide.shapes:
                if shape.has_table:
                    rows = list(shape.table.rows)[1:]  # below the header, which every slide repeats
                    assert shape.table.cell(0, 2).text == movers.headers["agency_code"]
                    shown += [row.cells[2].text for row in rows]
                    delta = [row.cells[6].text_frame.paragraphs[0] for row in rows]
                    assert all(p.alignment == PP_ALIGN.RIGHT for p in delta)  # +3.1 under +12.4
                    assert all(row.cells[3].text_frame.paragraphs[0].alignment != PP_ALIGN.RIGHT for row in rows)
    assert shown == movers.frame["agency_code"].tolist()  # every row, in order, once
    runs = [
        r
        for slide in prs.slides
        for s in slide.shapes
        if s.has_text_frame
        for p in s.text_frame.paragraphs
        for r in p.runs
    ]
    runs += [
        r
        for slide in prs.slides
        for s in slide.shapes
        if s.has_table
        for row in s.table.rows
        for c in row.cells
        for p in c.text_frame.paragraphs
        for r in p.runs
    ]
    for run in runs:
        properties = run._r.find(qn("a:rPr"))
        assert properties.find(qn("a:latin")).get("typeface") == "Tahoma"
        assert properties.find(qn("a:cs")).get("typeface") == "Tahoma"  # Thai is a complex script to Office


@pytest.mark.browser  # charts drawn in chromium
def test_the_pptx_cover_has_cards_and_headings_stay_above_what_follows(sample_files):
    """Issue 19, point 12: slide 1 was bare text; a two-line heading ran into the chart's title."""
    from pptx.util import Cm, Pt

    prs = Presentation(sample_files["th.pptx"])
    cover = prs.slides[0]
    shapes = [s for s in cover.shapes if s.shape_type == 1]  # 1: an autoshape (the band, the cards)
    assert len(shapes) == 4  # a title band and three cards
    values = [s for s in cover.shapes if s.has_text_frame and "313.2 / 500" in s.text_frame.text]
    assert values and values[0].text_frame.paragraphs[1].runs[0].font.size == Pt(30)
    for slide in list(prs.slides)[1:]:
        heading = next(s for s in slide.shapes if s.has_text_frame)
        below = [s for s in slide.shapes if s.shape_type == 13 or s.has_table]
        # the heading's lines at a generous 0.6 cm a line and 0.22 cm a character, at 11 points
        need = 0
        for p in heading.text_frame.paragraphs:
            scale = p.runs[0].font.size.pt / 11
            per_line = heading.width // Cm(0.22 * scale)
            need += Cm(0.6 * scale) * -(-len(p.text) // per_line)
        assert need <= heading.height, heading.text_frame.text
        assert all(s.top >= heading.top + heading.height for s in below)


@pytest.mark.browser  # charts drawn in chromium
def test_the_xlsx_has_a_sheet_per_table_and_no_formula(sample_files):
    book = openpyxl.load_workbook(sample_files["th.xlsx"])
    sheets = ["สรุป", "หมวด", "แนวโน้ม", "ผลลัพธ์หมวด 7", "ประเด็นต่ำสุด", "ประเด็นที่ควรอธิบาย"]
    sheets += ["หน่วยงานที่เปลี่ยนแปลง", "ตัวเลือก", "เกี่ยวกับเอกสารนี้"]
    assert book.sheetnames == sheets  # one language: no "categories" beside "สรุป"
    sheet = book["หมวด"]
    assert [c.value for c in sheet[1]][:3] == ["หมวด", "ชื่อหมวด", "ร้อยละ ปีฐาน"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet["C2"].number_format == '0.0"%"' and sheet["E2"].number_format == "+0.0;-0.0;0.0"
    assert not any(c.data_type == "f" for ws in book for row in ws.iter_rows() for c in row)
    about = " ".join(str(c.value) for row in book["เกี่ยวกับเอกสารนี้"].iter_rows() for c in row)
    assert "files " in about and "/" not in about.split("files ")[0]


def test_the_xlsx_summary_holds_numbers_and_prints_one_page_wide(tiny, tmp_path):
    """Issue 19, point 12: the key numbers were text ("3  (+0)"), the trend's percentages had no "%",
    and the summary printed over 23 pages. The tiny folder's numbers (conftest): 3 agencies in both
    years, mean total 65.0% (+4.2 points from 60.8%), mean points 20.0 of 40 (-3.0 from 23.0)."""
    pack.make(tiny, brief.Selection(2564, 2565, lang="th"), tmp_path / "b.xlsx")
    book = openpyxl.load_workbook(tmp_path / "b.xlsx")
    summary = book["สรุป"]
    rows = {r[0].value: r for r in summary.iter_rows() if r[0].value}
    agencies, mean, points = (
        rows[f"{k} ปี 2565"] for k in ("หน่วยงานที่ได้รับการประเมิน", "ค่าเฉลี่ยร้อยละของคะแนนรวม", "คะแนนรวมเฉลี่ย")
    )
    assert (agencies[1].value, agencies[2].value) == (3, 0)
    assert mean[1].value == pytest.approx(65.0) and mean[2].value == pytest.approx(65.0 - 182.5 / 3)
    assert points[1].value == pytest.approx(20.0) and points[2].value == pytest.approx(-3.0)
    assert mean[1].number_format == '0.0"%"' and mean[2].number_format == '+0.0" จุด";-0.0" จุด";0.0" จุด"'
    assert points[1].number_format == '#,##0.0" / 40"' and agencies[2].number_format == "+#,##0;-#,##0;0"
    for sheet in book:
        assert sheet.page_setup.paperSize == 9 and sheet.sheet_properties.pageSetUpPr.fitToPage
        # one page wide (1, Excel's default when the attribute is left out), as many down as needed (0)
        assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.print_area
    trend = book["แนวโน้ม"]
    assert [c.value for c in trend[1]] == ["หมวด", "ชื่อหมวด", "2564", "2565"]
    assert trend["C2"].number_format == '0.0"%"' and trend["C2"].value == pytest.approx(80.0)


def test_a_selection_that_matches_nothing_gives_a_brief_that_says_so(tiny, tmp_path):
    nothing = brief.Selection(2564, 2565, Filters(agency_types=("province",), groups=(MINISTRY,)), lang="en")
    pack.make(tiny, nothing, tmp_path / "empty.pdf")
    text = pdf_text((tmp_path / "empty.pdf").read_bytes())
    assert "No agency matches this selection" in text and "Nothing to show for this selection." in text


@pytest.mark.browser  # charts drawn in chromium
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is installed by `make test`")
def test_libreoffice_opens_every_format(sample_files, tmp_path):
    for name in ("th.pptx", "en.pptx", "th.xlsx"):  # the PDF is read by pypdf and drawn by poppler above
        done = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(sample_files[name]),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
        made = tmp_path / name.replace(".pptx", ".pdf").replace(".xlsx", ".pdf")
        assert made.stat().st_size > 1000
        if shutil.which("pdftoppm"):  # as LibreOffice lays them out, for a person to look at
            ARTIFACTS.mkdir(exist_ok=True)
            stem = ARTIFACTS / f"brief_{name.replace('.', '_')}"
            subprocess.run(["pdftoppm", "-r", "40", "-png", "-l", "12", made, stem], check=True)


@pytest.mark.parametrize(
    "args,message",
    [
        (["--out", "OUT/brief.docx"], "a brief is .pdf, .pptx or .xlsx"),
        (["--out", "OUT/brief.pdf", "--compare", "2570"], "no data for fiscal year 2570"),
    ],
)
def test_the_command_line_refuses_what_it_cannot_make(tiny_dir, tmp_path, args, message):
    argv = ["brief", "--base", "2564", *[a.replace("OUT", str(tmp_path)) for a in args]]
    if "--compare" not in argv:
        argv += ["--compare", "2565"]
    result = cli(*argv, data=tiny_dir)
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_makes_a_brief_with_progress(tiny_dir, tmp_path):
    result = cli(
        "brief", "--base", 2564, "--compare", 2565, "--lang", "en", "--out", tmp_path / "b.xlsx", data=tiny_dir
    )
    assert result.returncode == 0, result.stderr
    assert "[100%] Done." in result.stderr
    # sheets are named in the brief's language
    assert openpyxl.load_workbook(tmp_path / "b.xlsx")["Categories"]["A1"].value == "Category"


def test_the_brief_lists_the_criteria_to_explain_or_exemplify(tmp_path):
    """On tests/test_criteria.py's twelve agencies (3.1 unclear, 2.1 hard, 4.1 saturated, 1.2 and 1.3
    redundant, 1.1 and 2.2 unflagged), the XLSX brief's sheet as a working-group member reads it."""
    folder = tmp_path / "criteria"
    for year, at in test_criteria.YEARS.items():
        rows = [
            row(year, code, criterion, score, entry[0])
            for criterion, entry in test_criteria.DATA.items()
            for code, score in zip(test_criteria.CODES, entry[at], strict=False)
        ]
        write_rows(folder / f"{year}.parquet", rows)
    store = db.Store(folder, OPERATOR)
    pack.make(store, brief.Selection(2564, 2565, lang="en"), tmp_path / "b.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx")["Criteria to explain"]
    header, *rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert header == ["Criterion", "Name", "Flag", "Mean %", "Below threshold", "At the maximum"] + [
        "Discrimination (r)",
        "Why",
    ]
    # unclear, then hard, then saturated, named as data/scoring_scheme.json names them; the redundant
    # and unflagged ones are not listed
    assert [r[:3] for r in rows] == [
        ["3.1", "Customer information", "unclear"],
        ["2.1", "Strategy development", "hard"],
        ["4.1", "Measurement, analysis and improvement", "saturated"],
    ]
    # 3.1: 60 of 120 points, 7 of 12 agencies below 5 of 10, none at 10; 2.1: 57 of 120, 6 of 12
    # below, none at 10; 4.1: 224 of 240, nobody below 10 of 20, 8 of 12 at 20
    assert [r[3:6] for r in rows] == [
        [50, pytest.approx(700 / 12), 0],
        [47.5, 50, 0],
        [pytest.approx(224 / 2.4), 0, pytest.approx(200 / 3)],
    ]
    assert rows[0][6] < 0 < 0.3 <= rows[1][6]  # 3.1 fails strong and weak agencies alike; 2.1 the weak
    assert rows[0][7].startswith("58.3% of agencies are below 50%, whatever their overall result")
    assert (sheet["D2"].number_format, sheet["G2"].number_format) == ('0.0"%"', "0.00")


def test_the_criteria_to_explain_take_the_briefs_threshold_and_language(tiny):
    # the tiny folder has three agencies: too few for any correlation, so a criterion a third of them
    # fail is "unclear". At 85 %: 1.1 (60, 90, 40 %) and 1.2 (80, 90, 40 %) have 2 of 3 below
    b = brief.build(tiny, brief.Selection(2564, 2565, lang="th", threshold=85))
    table = b.table("explain")
    assert table.title.startswith("หมวด 1–6: ประเด็นที่ควรอธิบาย (ไม่ชัดเจน) หรือยกตัวอย่าง (ยาก) ปี 2565 ต่ำกว่าร้อยละ 85")
    found = table.frame[["criterion", "flag", "share_below_pct", "discrimination"]].values.tolist()
    assert found == [["1.1", "ไม่ชัดเจน", pytest.approx(200 / 3), None], ["1.2", "ไม่ชัดเจน", pytest.approx(200 / 3), None]]
    assert table.headers["flag"] == "ข้อสังเกต"
    # category 7 is results, not criteria to explain: 7.1 (60, 40 % of 20; P1 not assessed) is left out
    assert "7.1" not in table.frame["criterion"].tolist()


def test_the_lowest_criteria_say_most_only_where_more_than_half_are_below(tiny):
    """Issue 19, point 1: the list is the largest shares below the threshold, which need not be most
    agencies. The tiny folder's 2565: 1.1 is A1 60, P1 90, N1 40 %; 1.2 is 80, 90, 40 %. Below 50 %:
    1 of 3 on each (33.3 %); below 65 %: 2 of 3 on 1.1, 1 of 3 on 1.2; below 85 %: 2 of 3 on both."""
    from dashboard.outputs import brief_pdf

    at50 = brief.build(tiny, brief.Selection(2564, 2565, lang="en")).table("lowest")
    assert at50.title == (
        "Categories 1–6: the criteria with the largest share of agencies below 50% of the maximum, 2565 (2022)"
    )
    assert at50.note == "On none of these criteria are more than half of the agencies assessed below 50%."
    at65 = brief.build(tiny, brief.Selection(2564, 2565, lang="th", threshold=65))
    lowest = at65.table("lowest")
    assert lowest.title == "หมวด 1–6: ประเด็นที่มีสัดส่วนหน่วยงานต่ำกว่าร้อยละ 65 ของคะแนนเต็มมากที่สุด ปี 2565"
    assert lowest.note == "หน่วยงานที่ได้รับการประเมินมากกว่าครึ่งได้ต่ำกว่าร้อยละ 65 ใน 1 ประเด็นของรายการนี้: 1.1"
    assert lowest.note in brief_pdf.html_of(at65, {})  # printed under the title
    at85 = brief.build(tiny, brief.Selection(2564, 2565, lang="en", threshold=85)).table("lowest")
    assert at85.note == "More than half of the agencies assessed are below 85% on 2 of these criteria: 1.1 and 1.2."


def test_the_command_line_brief_takes_its_threshold(tiny_dir, tmp_path):
    """Issue 19, point 3, from the command line. 2565 below 65 %: 1.1 (60, 90, 40 %) 2 of 3,
    1.2 (80, 90, 40 %) 1 of 3."""
    out = tmp_path / "b.xlsx"
    result = cli(
        "brief", "--base", 2564, "--compare", 2565, "--lang", "en", "--threshold", 65, "--out", out, data=tiny_dir
    )
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    shares = {row[0]: row[3] for row in book["Lowest criteria"].iter_rows(min_row=2, values_only=True)}
    assert shares == {"1.1": pytest.approx(200 / 3), "1.2": pytest.approx(100 / 3)}
    assert ("Threshold (% of a criterion's maximum)", "65%") in book["Selection"].iter_rows(values_only=True)


def test_the_command_line_refuses_a_threshold_outside_0_to_100_in_one_line(tiny_dir, tmp_path):
    result = cli(
        "brief", "--base", 2564, "--compare", 2565, "--threshold", 150, "--out", tmp_path / "b.pdf", data=tiny_dir
    )
    assert result.returncode == 1 and list(tmp_path.iterdir()) == []
    assert result.stderr == "error: the threshold is a percentage of the maximum score, from 0 to 100, not 150\n"
