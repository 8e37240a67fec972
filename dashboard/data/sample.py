"""The bundled synthetic sample: seeded, so the same seed always writes the same files.

The parameters below shape the sample so that it shows what the working group saw in 2565 against
2564 (a rise overall; categories 1, 4 and 6 strong; 7 weak). They shape the data only: the
dashboard computes every finding from the files and never reads these numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.data import contract
from dashboard.data.files import atomic_write
from dashboard.errors import DataError

YEARS = (2561, 2562, 2563, 2564, 2565)

# Category means (percent) in the latest year, and how many points lower each year before it was.
CATEGORY_MEAN = {1: 74, 2: 66, 3: 63, 4: 72, 5: 65, 6: 73, 7: 55}
YEAR_SHIFT = {2561: -7.0, 2562: -5.0, 2563: -3.5, 2564: -2.5, 2565: 0.0}
TYPE_SHIFT = {"department": 0.0, "province": -3.0, "public_organization": 2.0}
# Criteria most agencies find hard: what the working group wants explained (item 4 of the seed).
HARD_CRITERIA = {"2.2.3": -14, "3.2.2": -12, "5.2.3": -15, "6.2.3": -10}
NEW_CRITERION = ("4.2.3", 2562)  # first assessed in 2562: a change of structure between years

MINISTRIES = [
    ("สำนักนายกรัฐมนตรี", "Office of the Prime Minister"),
    ("กระทรวงกลาโหม", "Ministry of Defence"),
    ("กระทรวงการคลัง", "Ministry of Finance"),
    ("กระทรวงการต่างประเทศ", "Ministry of Foreign Affairs"),
    ("กระทรวงการท่องเที่ยวและกีฬา", "Ministry of Tourism and Sports"),
    ("กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์", "Ministry of Social Development and Human Security"),
    ("กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม", "Ministry of Higher Education, Science, Research and Innovation"),
    ("กระทรวงเกษตรและสหกรณ์", "Ministry of Agriculture and Cooperatives"),
    ("กระทรวงคมนาคม", "Ministry of Transport"),
    ("กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "Ministry of Digital Economy and Society"),
    ("กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม", "Ministry of Natural Resources and Environment"),
    ("กระทรวงพลังงาน", "Ministry of Energy"),
    ("กระทรวงพาณิชย์", "Ministry of Commerce"),
    ("กระทรวงมหาดไทย", "Ministry of Interior"),
    ("กระทรวงยุติธรรม", "Ministry of Justice"),
    ("กระทรวงแรงงาน", "Ministry of Labour"),
    ("กระทรวงวัฒนธรรม", "Ministry of Culture"),
    ("กระทรวงศึกษาธิการ", "Ministry of Education"),
    ("กระทรวงสาธารณสุข", "Ministry of Public Health"),
    ("กระทรวงอุตสาหกรรม", "Ministry of Industry"),
]
CLUSTERS = [
    (f"กลุ่มจังหวัด{th}", f"{en} Provincial Cluster")
    for th, en in [
        ("ภาคเหนือตอนบน 1", "Upper Northern 1"),
        ("ภาคเหนือตอนบน 2", "Upper Northern 2"),
        ("ภาคเหนือตอนล่าง 1", "Lower Northern 1"),
        ("ภาคเหนือตอนล่าง 2", "Lower Northern 2"),
        ("ภาคตะวันออกเฉียงเหนือตอนบน 1", "Upper Northeastern 1"),
        ("ภาคตะวันออกเฉียงเหนือตอนบน 2", "Upper Northeastern 2"),
        ("ภาคตะวันออกเฉียงเหนือตอนกลาง", "Central Northeastern"),
        ("ภาคตะวันออกเฉียงเหนือตอนล่าง 1", "Lower Northeastern 1"),
        ("ภาคตะวันออกเฉียงเหนือตอนล่าง 2", "Lower Northeastern 2"),
        ("ภาคกลางตอนบน 1", "Upper Central 1"),
        ("ภาคกลางตอนบน 2", "Upper Central 2"),
        ("ภาคกลางปริมณฑล", "Central Metropolitan"),
        ("ภาคกลางตอนล่าง 1", "Lower Central 1"),
        ("ภาคกลางตอนล่าง 2", "Lower Central 2"),
        ("ภาคตะวันออก", "Eastern"),
        ("ภาคใต้ฝั่งอ่าวไทย", "Southern Gulf of Thailand"),
        ("ภาคใต้ฝั่งอันดามัน", "Southern Andaman"),
        ("ภาคใต้ชายแดน", "Southern Border"),
    ]
]
# Synthetic names: a function and a field, so no name is a real agency's.
FUNCTIONS = [
    ("ส่งเสริม", "Promotion"),
    ("พัฒนา", "Development"),
    ("กำกับ", "Regulation"),
    ("บริการ", "Services"),
    ("วิจัย", "Research"),
    ("คุ้มครอง", "Protection"),
]
FIELDS = [
    ("การค้าชุมชน", "Community Trade"),
    ("ทรัพยากรน้ำบาดาล", "Groundwater"),
    ("พลังงานทดแทน", "Renewable Energy"),
    ("แรงงานฝีมือ", "Skilled Labour"),
    ("ข้อมูลภาครัฐ", "Government Data"),
    ("สุขภาวะชุมชน", "Community Health"),
    ("การเรียนรู้ตลอดชีวิต", "Lifelong Learning"),
    ("มาตรฐานสินค้า", "Product Standards"),
    ("ป่าชุมชน", "Community Forests"),
    ("การขนส่งชนบท", "Rural Transport"),
    ("ศิลปะพื้นบ้าน", "Folk Arts"),
    ("เกษตรปลอดภัย", "Safe Agriculture"),
    ("นวัตกรรมท้องถิ่น", "Local Innovation"),
    ("การท่องเที่ยวชุมชน", "Community Tourism"),
    ("ความปลอดภัยทางถนน", "Road Safety"),
    ("สิทธิผู้บริโภค", "Consumer Rights"),
    ("ทะเลและชายฝั่ง", "Marine and Coastal Affairs"),
    ("การออมชุมชน", "Community Savings"),
    ("ผู้สูงอายุ", "Older Persons"),
    ("เมืองอัจฉริยะ", "Smart Cities"),
    ("ภูมิสารสนเทศ", "Geo-informatics"),
    ("อาหารปลอดภัย", "Food Safety"),
    ("การประมงพื้นบ้าน", "Small-scale Fisheries"),
    ("สหกรณ์ชุมชน", "Community Cooperatives"),
    ("พลังงานชุมชน", "Community Energy"),
    ("การกีฬามวลชน", "Mass Sports"),
]
PLACE_1 = [
    ("ศรี", "Si"),
    ("บ้าน", "Ban"),
    ("เมือง", "Mueang"),
    ("ท่า", "Tha"),
    ("หนอง", "Nong"),
    ("บึง", "Bueng"),
    ("ดอน", "Don"),
    ("โพธิ์", "Pho"),
    ("สวน", "Suan"),
    ("นา", "Na"),
]
PLACE_2 = [
    ("ทอง", "thong"),
    ("แก้ว", "kaeo"),
    ("คำ", "kham"),
    ("งาม", "ngam"),
    ("เงิน", "ngoen"),
    ("ธารา", "thara"),
    ("ไพร", "phrai"),
    ("พนา", "phana"),
]


def criteria() -> list[tuple[int, str, float]]:
    """(category, criterion, max_score): 60 points for each of categories 1-6, 140 for 7; 500 in all."""
    rows = [(c, f"{c}.{s}.{k}", 10.0) for c in range(1, 7) for s in (1, 2) for k in (1, 2, 3)]
    rows += [(7, "7.1", 40.0)] + [(7, f"7.{i}", 20.0) for i in range(2, 7)]
    return rows


def agencies() -> list[dict]:
    """The agencies, with the years each is assessed and any rename or move."""
    out = []
    for i in range(152):
        fn_th, fn_en = FUNCTIONS[i % len(FUNCTIONS)]
        fd_th, fd_en = FIELDS[i // len(FUNCTIONS) % len(FIELDS)]
        ministry = MINISTRIES[i % len(MINISTRIES)]
        years = YEARS[:3] if 147 <= i <= 149 else YEARS[4:] if i >= 150 else YEARS  # leave, join
        out.append(
            dict(
                code=f"D{i + 1:03d}",
                type="department",
                th=f"กรม{fn_th}{fd_th}",
                en=f"Department of {fd_en} {fn_en}",
                group=ministry,
                years=years,
            )
        )
    for i in range(76):
        (a_th, a_en), (b_th, b_en) = PLACE_1[i % len(PLACE_1)], PLACE_2[i // len(PLACE_1)]
        out.append(
            dict(
                code=f"P{i + 1:02d}",
                type="province",
                th=f"จังหวัด{a_th}{b_th}",
                en=f"{a_en}{b_en} Province",
                group=CLUSTERS[i % len(CLUSTERS)],
                years=YEARS,
            )
        )
    for i in range(30):
        fd_th, fd_en = FIELDS[(i * 7) % len(FIELDS)]
        scope_th, scope_en = ("แห่งชาติ", "National") if i < len(FIELDS) else ("ภูมิภาค", "Regional")
        out.append(
            dict(
                code=f"O{i + 1:02d}",
                type="public_organization",
                th=f"สถาบัน{fd_th}{scope_th}",
                en=f"{scope_en} Institute of {fd_en}",
                group=MINISTRIES[(i * 3) % len(MINISTRIES)],
                years=YEARS[2:] if i >= 25 else YEARS,
            )
        )
    return out


def _name(agency: dict, year: int) -> tuple[str, str, tuple[str, str]]:
    """Names and group as of a year: D010 was renamed in 2564, D020 moved ministry in 2565."""
    th, en, group = agency["th"], agency["en"], agency["group"]
    if agency["code"] == "D010" and year < 2564:
        th, en = th.replace("กรม", "สำนักงาน", 1), en.replace("Department of", "Office of", 1)
    if agency["code"] == "D020" and year >= 2565:
        group = MINISTRIES[0]
    return th, en, group


def generate(seed: int = 2565) -> pa.Table:
    """All years' rows as one Arrow table in the contract's columns."""
    rng = np.random.default_rng(seed)
    crit = criteria()
    crit_effect = {code: rng.normal(0, 4) + HARD_CRITERIA.get(code, 0) for _, code, _ in crit}
    rows = {column: [] for column in contract.COLUMNS}
    for agency in agencies():
        ability = rng.normal(0, 8) + TYPE_SHIFT[agency["type"]]
        by_category = {c: rng.normal(0, 5) for c in CATEGORY_MEAN}
        for year in agency["years"]:
            drift = rng.normal(0, 3)
            th, en, (group_th, group_en) = _name(agency, year)
            for category, code, max_score in crit:
                if code == NEW_CRITERION[0] and year < NEW_CRITERION[1]:
                    continue
                pct = (
                    CATEGORY_MEAN[category]
                    + YEAR_SHIFT[year]
                    + ability
                    + drift
                    + by_category[category]
                    + crit_effect[code]
                    + rng.normal(0, 7)
                )
                score = float(np.clip(np.round(pct / 100 * max_score * 2) / 2, 0, max_score))
                not_assessed = rng.random() < 0.015
                for column, value in zip(
                    contract.COLUMNS,
                    (
                        year,
                        agency["code"],
                        th,
                        en,
                        agency["type"],
                        group_th,
                        group_en,
                        category,
                        code,
                        None if not_assessed else score,
                        max_score,
                    ),
                    strict=True,
                ):
                    rows[column].append(value)
    schema = pa.schema(
        [
            ("fiscal_year", pa.int32()),
            ("agency_code", pa.string()),
            ("agency_name_th", pa.string()),
            ("agency_name_en", pa.string()),
            ("agency_type", pa.string()),
            ("agency_group_th", pa.string()),
            ("agency_group_en", pa.string()),
            ("category", pa.int8()),
            ("criterion", pa.string()),
            ("score", pa.float64()),
            ("max_score", pa.float64()),
        ],
        metadata={contract.SYNTHETIC_KEY: b"true"},
    )
    return pa.table(rows, schema=schema)


# Names of the sub-items (from the PMQA 4.0 structure in the domain notes) and of the criteria under
# them (made up for the sample): code -> (Thai, English). Written into the sample's scheme.
CRITERION_NAMES = {
    "1.1": ("การนำองค์การโดยผู้บริหาร", "Executive leadership"),
    "1.1.1": ("วิสัยทัศน์ ค่านิยม และทิศทางองค์การ", "Vision, values and direction"),
    "1.1.2": ("การสื่อสารและการสร้างความผูกพัน", "Communication and engagement"),
    "1.1.3": ("การสร้างสภาพแวดล้อมเพื่อผลการดำเนินการ", "An environment for performance"),
    "1.2": ("การกำกับดูแลองค์การและความรับผิดชอบต่อสังคม", "Governance and social responsibility"),
    "1.2.1": ("การกำกับดูแลองค์การ", "Organisational governance"),
    "1.2.2": ("การปฏิบัติตามกฎหมายและจริยธรรม", "Legal and ethical behaviour"),
    "1.2.3": ("ความรับผิดชอบต่อสังคมและการสนับสนุนชุมชน", "Societal responsibility and community support"),
    "2.1": ("การจัดทำยุทธศาสตร์", "Strategy development"),
    "2.1.1": ("กระบวนการวางแผนยุทธศาสตร์", "Strategic planning process"),
    "2.1.2": ("นวัตกรรมและโอกาสเชิงยุทธศาสตร์", "Innovation and strategic opportunities"),
    "2.1.3": ("วัตถุประสงค์เชิงยุทธศาสตร์", "Strategic objectives"),
    "2.2": ("การนำยุทธศาสตร์ไปปฏิบัติ", "Strategy deployment"),
    "2.2.1": ("แผนปฏิบัติการ", "Action plans"),
    "2.2.2": ("การจัดสรรทรัพยากร", "Resource allocation"),
    "2.2.3": ("การติดตามและปรับแผน", "Tracking and changing plans"),
    "3.1": ("ข้อมูลผู้รับบริการและผู้มีส่วนได้ส่วนเสีย", "Customer information"),
    "3.1.1": ("การรับฟังผู้รับบริการ", "Listening to customers"),
    "3.1.2": ("การจำแนกกลุ่มผู้รับบริการ", "Customer segmentation"),
    "3.1.3": ("ความพึงพอใจของผู้รับบริการ", "Customer satisfaction"),
    "3.2": ("การสร้างความผูกพันกับผู้รับบริการ", "Customer engagement"),
    "3.2.1": ("บริการและการสนับสนุนผู้รับบริการ", "Services and customer support"),
    "3.2.2": ("การจัดการข้อร้องเรียน", "Complaint management"),
    "3.2.3": ("การสร้างความสัมพันธ์กับผู้รับบริการ", "Customer relationships"),
    "4.1": ("การวัด การวิเคราะห์ และการปรับปรุงผลการดำเนินการ", "Measurement, analysis and improvement"),
    "4.1.1": ("การวัดผลการดำเนินการ", "Performance measurement"),
    "4.1.2": ("การวิเคราะห์และทบทวนผลการดำเนินการ", "Performance analysis and review"),
    "4.1.3": ("การปรับปรุงผลการดำเนินการ", "Performance improvement"),
    "4.2": ("การจัดการสารสนเทศและองค์ความรู้", "Information and knowledge management"),
    "4.2.1": ("คุณภาพและความพร้อมใช้ของข้อมูล", "Data quality and availability"),
    "4.2.2": ("การจัดการความรู้", "Knowledge management"),
    "4.2.3": ("ระบบเทคโนโลยีสารสนเทศและดิจิทัล", "Information and digital systems"),
    "5.1": ("สภาพแวดล้อมของบุคลากร", "Workforce environment"),
    "5.1.1": ("ขีดความสามารถและอัตรากำลัง", "Workforce capability and capacity"),
    "5.1.2": ("บรรยากาศการทำงาน", "Workplace climate"),
    "5.1.3": ("สุขภาวะและความปลอดภัยของบุคลากร", "Workforce well-being and safety"),
    "5.2": ("ความผูกพันของบุคลากร", "Workforce engagement"),
    "5.2.1": ("ความผูกพันและวัฒนธรรมองค์การ", "Engagement and organisational culture"),
    "5.2.2": ("การพัฒนาบุคลากรและผู้นำ", "Workforce and leader development"),
    "5.2.3": ("การจัดการผลการปฏิบัติงาน", "Performance management"),
    "6.1": ("กระบวนการทำงาน", "Work processes"),
    "6.1.1": ("การออกแบบบริการและกระบวนการ", "Service and process design"),
    "6.1.2": ("การจัดการกระบวนการ", "Process management"),
    "6.1.3": ("นวัตกรรมกระบวนการ", "Process innovation"),
    "6.2": ("ประสิทธิผลของการปฏิบัติการ", "Operational effectiveness"),
    "6.2.1": ("ประสิทธิภาพและการควบคุมต้นทุน", "Efficiency and cost control"),
    "6.2.2": ("การจัดการเครือข่ายความร่วมมือ", "Partner network management"),
    "6.2.3": ("ความพร้อมต่อภาวะฉุกเฉินและความต่อเนื่อง", "Emergency readiness and continuity"),
    "7.1": ("ผลลัพธ์ด้านประสิทธิผลและการบรรลุพันธกิจ", "Effectiveness and mission achievement"),
    "7.2": ("ผลลัพธ์ด้านผู้รับบริการและผู้มีส่วนได้ส่วนเสีย", "Customer and stakeholder results"),
    "7.3": ("ผลลัพธ์ด้านบุคลากร", "Workforce results"),
    "7.4": ("ผลลัพธ์ด้านการนำองค์การและการกำกับดูแล", "Leadership and governance results"),
    "7.5": ("ผลลัพธ์ด้านงบประมาณ การเงิน และการเติบโต", "Budget, finance and growth results"),
    "7.6": ("ผลลัพธ์ด้านประสิทธิผลของกระบวนการและห่วงโซ่อุปทาน", "Process effectiveness and supply chain results"),
}


def scheme_document() -> dict:
    """The illustrative scoring scheme written beside the sample."""
    maxima = {code: mx for _, code, mx in criteria()}
    return {
        "illustrative": True,
        "note": (
            "Illustrative cut-offs, maxima and criterion names, not OPDC's: replace this file with the real "
            "scheme. Sub-item names follow the PMQA 4.0 structure; criterion names (x.y.z) are made up for "
            "the sample."
        ),
        "levels": [
            {"level": "basic", "label_th": "พื้นฐาน", "label_en": "Basic"},
            {"level": "advance", "label_th": "ก้าวหน้า", "label_en": "Advance"},
            {"level": "significance", "label_th": "โดดเด่น", "label_en": "Significance"},
        ],
        "years": [
            {
                "fiscal_year": year,
                "cutoffs": {"basic": 50, "advance": 65, "significance": 80},
                "criteria": {
                    c: m for c, m in maxima.items() if not (c == NEW_CRITERION[0] and year < NEW_CRITERION[1])
                },
            }
            for year in YEARS
        ],
        "criterion_names": {code: {"name_th": th, "name_en": en} for code, (th, en) in CRITERION_NAMES.items()},
    }


def write(out_dir: Path, seed: int = 2565) -> list[Path]:
    """Write one Parquet file per year and the scheme; refuse to touch a folder of real data."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    real = [p for p in contract.find_parquet_files(out_dir) if not contract.is_synthetic(p)]
    if real:
        raise DataError(
            f"{out_dir} holds data that is not the synthetic sample ({real[0].name}); choose an empty folder"
        )
    table = generate(seed)
    written = []
    for year in YEARS:
        path = out_dir / f"pmqa_scores_{year}.parquet"
        part = table.filter(pc.equal(table["fiscal_year"], year))
        atomic_write(path, lambda tmp, part=part: pq.write_table(part, tmp, compression="zstd"))
        written.append(path)
    scheme_file = out_dir / "scoring_scheme.json"
    text = json.dumps(scheme_document(), ensure_ascii=False, indent=2) + "\n"
    atomic_write(scheme_file, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return written + [scheme_file]
