"""The meeting pack: a brief of one year pair and selection, in Thai or English, as content that the
PDF, PowerPoint and Excel writers lay out. Every number comes from the views, every chart from the
chart builders the pages use: the brief says what the screen says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard.data.db import Filters, Store
from dashboard.data.proposal import NO_INDICATORS, Indicators, Proposal
from dashboard.outputs import charts
from dashboard.views import formatting as fmt
from dashboard.views import narrative, sections
from dashboard.views.i18n import category_name, t, year_label

TOP_MOVERS = 5  # rises and falls per category
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Selection:
    base: int
    compare: int
    filters: Filters = Filters()
    like_for_like: bool = False
    lang: str = "th"
    threshold: int = 50


@dataclass(frozen=True)
class Scenario:
    """A proposed revision the brief carries (issue 18): what it would do in the compare year."""

    proposal: Proposal
    indicators: Indicators = NO_INDICATORS

    def audit(self) -> dict:
        """What the audit line says of it: the proposal itself and the indicators file's name."""
        return {"proposal": self.proposal.file, **self.proposal.as_json(), "indicators": self.indicators.file}


@dataclass
class Table:
    key: str  # the sheet's name and the section's id
    title: str
    frame: pd.DataFrame  # values as numbers; the writers format them
    headers: dict[str, str]  # column -> its label in the brief's language
    note: str = ""  # a sentence under the title that reads the table (PDF and PowerPoint)


@dataclass(frozen=True)
class KeyNumber:
    """A key number as a number, for the Excel summary's cells: `kind` is count, pct or score (of
    `of` points), the change is in agencies, percentage points or score points."""

    label: str
    value: float | None
    change: float | None
    kind: str
    of: float | None = None


@dataclass
class Brief:
    lang: str
    title: str
    context: str  # years and filters, on the cover and in every file
    summary: str
    kpis: list[tuple[str, str, str | None]]  # label, value, change
    warnings: list[str]
    tables: list[Table]
    figures: dict[str, object] = field(default_factory=dict)  # section id -> Plotly figure
    footer: str = ""
    filters: list[tuple[str, str]] = field(default_factory=list)
    about: list[tuple[str, str]] = field(default_factory=list)
    empty: bool = False  # no agency matches the selection
    numbers: list[KeyNumber] = field(default_factory=list)  # the kpis as numbers

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _headers(frame: pd.DataFrame, lang: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    extra = extra or {}
    return {c: extra.get(c) or t(f"col.{c}", lang) for c in frame.columns}


def _filters_text(store: Store, sel: Selection) -> list[tuple[str, str]]:
    lang, f = sel.lang, sel.filters
    groups = {r["agency_group_th"]: r for r in sections.groups(store).to_dict("records")}

    def group(name: str) -> str:
        english = groups.get(name, {}).get("agency_group_en")
        return english if lang == "en" and english else name

    every = t("filter.all", lang)
    scope = store.access.scope
    # A scoped person's brief says whose view it is: its numbers cover only the scope's agencies.
    scoped = [] if scope.everything else [(t("brief.scope", lang), fmt.scope_text(scope, lang))]
    return scoped + [
        (t("filter.base_year", lang), year_label(sel.base, lang)),
        (t("filter.compare_year", lang), year_label(sel.compare, lang)),
        (t("filter.types", lang), ", ".join(t(f"type.{x}", lang) for x in f.agency_types) or every),
        (t("filter.groups", lang), ", ".join(group(g) for g in f.groups) or every),
        (t("like_for_like", lang), t("brief.yes" if sel.like_for_like else "brief.no", lang)),
        (t("brief.threshold", lang), f"{sel.threshold}%"),
    ]


def _kpis(summary: dict, lang: str) -> list[tuple[str, str, str | None]]:
    o, a, year = summary["overall"], summary["agencies"], year_label(summary["compare_year"], lang)
    return [
        (t("kpi.agencies", lang, year=year), fmt.count(a["compare"]), fmt.count_change(a["compare"] - a["base"])),
        (t("kpi.mean_pct", lang, year=year), fmt.pct(o["compare_mean_pct"]), fmt.pp(o["delta_pts"], lang)),
        (
            t("kpi.mean_points", lang, year=year),
            fmt.score(o["compare_mean_points"], o["compare_max_points"]),
            fmt.score_change(o["points_change"], lang),
        ),
    ]


def _numbers(summary: dict, lang: str) -> list[KeyNumber]:
    """The key numbers of `_kpis`, unformatted."""
    o, a, year = summary["overall"], summary["agencies"], year_label(summary["compare_year"], lang)
    return [
        KeyNumber(t("kpi.agencies", lang, year=year), a["compare"], a["compare"] - a["base"], "count"),
        KeyNumber(t("kpi.mean_pct", lang, year=year), o["compare_mean_pct"], o["delta_pts"], "pct"),
        KeyNumber(
            t("kpi.mean_points", lang, year=year),
            o["compare_mean_points"],
            o["points_change"],
            "score",
            o["compare_max_points"],
        ),
    ]


def _categories(summary: dict, lang: str) -> Table:
    marks = {c: "▲" for c in summary["strongest"]} | ({summary["weakest"]: "▼"} if summary["weakest"] else {})
    frame = pd.DataFrame(
        [
            {
                "category": c["category"],
                "category_name": category_name(c["category"], lang),
                "base_pct": c["base_mean_pct"],
                "compare_pct": c["compare_mean_pct"],
                "delta_pts": c["delta_pts"],
                "compare_agencies": c["compare_agencies"],
                "mark": marks.get(c["category"], ""),
            }
            for c in summary["categories"]
        ]
    )
    extra = {
        "category_name": t("brief.category_name", lang),
        "compare_agencies": t("col.agencies", lang),
        "mark": t("brief.mark", lang),
    }
    return Table("categories", t("brief.categories", lang), frame, _headers(frame, lang, extra))


def _trend(stats: pd.DataFrame, lang: str) -> Table:
    wide = stats.pivot(index="category", columns="fiscal_year", values="mean_pct")
    # A year's column is named as a percentage (`2565_pct`), so every writer shows it with "%".
    years = {y: f"{y}_pct" for y in wide.columns}
    frame = wide.reset_index().rename(columns=years)
    frame.insert(1, "category_name", [category_name(c, lang) for c in frame["category"]])
    headers = {name: year_label(y, lang) for y, name in years.items()} | {
        "category": t("col.category", lang),
        "category_name": t("brief.category_name", lang),
    }
    frame.columns = [str(c) for c in frame.columns]
    return Table("trend", t("brief.trend", lang), frame, headers)


def _movers(store: Store, sel: Selection) -> Table:
    rows = []
    for category in range(1, 8):
        moves = sections.movers(store, sel.filters, category, sel.base, sel.compare, top=TOP_MOVERS)
        for direction in ("rise", "fall"):
            for m in moves[direction].itertuples():
                agency = (
                    m.agency_name_en if sel.lang == "en" and isinstance(m.agency_name_en, str) else m.agency_name_th
                )
                rows.append(
                    {
                        "category": category,
                        "direction": t(f"movers.{direction}s", sel.lang),
                        "agency_code": m.agency_code,
                        "agency": agency,
                        "base_pct": m.base_pct,
                        "compare_pct": m.compare_pct,
                        "delta_pts": m.delta_pts,
                    }
                )
    columns = ["category", "direction", "agency_code", "agency", "base_pct", "compare_pct", "delta_pts"]
    frame = pd.DataFrame(rows, columns=columns)
    title = t("brief.movers", sel.lang, n=TOP_MOVERS)
    return Table("movers", title, frame, _headers(frame, sel.lang, {"direction": t("brief.direction", sel.lang)}))


# The flags the working group acts on, in the order the section lists them: explain, exemplify, revise.
EXPLAIN_FLAGS = ("unclear", "hard", "saturated")
EXPLAIN_COLUMNS = ["criterion", "criterion_name", "flag", "mean_pct", "share_below_pct", "ceiling_pct"]
EXPLAIN_COLUMNS += ["discrimination", "reason"]


def _explain(store: Store, sel: Selection) -> Table:
    """Categories 1–6's criteria of the compare year that look unclear (the wording needs an
    explanation) or hard (a worked example helps), and the saturated ones, candidates to revise."""
    found = sections.workbench(store, sel.compare, sel.base, sel.threshold, sel.filters, sel.lang)
    rows = [
        {
            "criterion": c["criterion"],
            "criterion_name": c["name"],
            "flag": t(f"criteria.flag.{c['flag']}", sel.lang),
            "mean_pct": c["mean_pct"],
            "share_below_pct": c["below_share"],  # named by kind, so every writer formats it as a share
            "ceiling_pct": c["ceiling_share"],
            "discrimination": c["discrimination"],
            "reason": c["reason"],
        }
        for flag in EXPLAIN_FLAGS
        for c in found["criteria"]
        if c["flag"] == flag and c["category"] <= 6
    ]
    frame = pd.DataFrame(rows, columns=EXPLAIN_COLUMNS)
    extra = {"ceiling_pct": t("col.ceiling_share", sel.lang), "share_below_pct": t("col.below_share", sel.lang)}
    title = t("brief.explain", sel.lang, year=year_label(sel.compare, sel.lang), threshold=sel.threshold)
    return Table("explain", title, frame, _headers(frame, sel.lang, extra))


CHANGE_COLUMNS = ["agency_code", "agency", "current_level", "proposed_level", "current_pct", "proposed_pct"]
INDICATOR_COLUMNS = ["indicator", "agencies", "mean", "corr_category_7", "corr_total", "discrimination"]


def _scenario(store: Store, sel: Selection, scenario: Scenario, n: int) -> list[Table]:
    """A scenario's tables: agencies per level now and proposed (the proposal read in a sentence under
    it), the agencies that change level (for a role that may read agencies' rows), the candidates."""
    lang = sel.lang
    found = sections.scenario(store, sel.compare, scenario.proposal, scenario.indicators, sel.filters, lang)
    name, key = found["proposal"]["name"], f"scenario_{n}"  # a sheet's name: unique, under 31 characters
    levels = sections.level_table(found, lang)
    text = sections.proposal_text(store, sel.compare, scenario.proposal, lang)
    title = t("brief.scenario", lang, name=name, year=year_label(sel.compare, lang))
    tables = [Table(key, title, levels, _headers(levels, lang), text)]
    if found["changes"] is not None:
        changes = sections.changes_table(found, lang).rename(columns={"agency_name": "agency"})[CHANGE_COLUMNS]
        title = t("brief.scenario_changes", lang, name=name, n=len(changes))
        tables.append(Table(f"{key}_changes", title, changes, _headers(changes, lang)))
    if found["indicators"]:
        candidates = pd.DataFrame(found["indicators"])[INDICATOR_COLUMNS]
        title = t("brief.scenario_indicators", lang, name=name)
        tables.append(Table(f"{key}_indicators", title, candidates, _headers(candidates, lang)))
    return tables


def build(
    store: Store, sel: Selection, progress: Progress | None = None, scenarios: tuple[Scenario, ...] = ()
) -> Brief:
    """The brief's content for a selection: texts, numbers, tables and figures."""
    step = progress or (lambda fraction, text: None)
    lang, filters = sel.lang, sel.filters
    step(0.05, t("brief.step.summary", lang))
    summary = sections.summary(store, sel.base, sel.compare, sel.like_for_like, filters)
    empty = summary["agencies"]["base"] == 0 and summary["agencies"]["compare"] == 0
    pair = dict(base=year_label(sel.base, lang), compare=year_label(sel.compare, lang))
    warnings = []
    if summary["criteria_changed"]:
        warnings.append(sections.warning(summary["criteria_changed"], pair["base"], pair["compare"], lang))
    if empty:
        warnings.append(t("brief.empty", lang))
    if store.synthetic:
        warnings.append(t("synthetic.banner", lang))
    step(0.2, t("brief.step.tables", lang))
    names = sections.criterion_names(store, store.scheme, lang)
    stats = sections.category_stats(store, filters)
    items = sections.with_names(sections.result_items(store, filters, sel.base, sel.compare, sel.threshold), names)
    lowest = sections.lowest_criteria(store, filters, sel.compare, sel.threshold)
    lowest = sections.with_names(lowest, names)[
        ["criterion", "criterion_name", "mean_pct", "share_below_pct", "agencies_assessed", "agencies_not_assessed"]
    ]
    tables = [
        _categories(summary, lang),
        _trend(stats, lang) if len(stats) else Table("trend", t("brief.trend", lang), pd.DataFrame(), {}),
        Table("results", t("brief.results", lang, **pair), items, _headers(items, lang)),
        Table(
            "lowest",
            t("brief.lowest", lang, year=pair["compare"], threshold=sel.threshold),
            lowest,
            _headers(lowest, lang),
            narrative.lowest_note(lowest, sel.threshold, lang),
        ),
        _explain(store, sel),
        _movers(store, sel),
    ]
    if scenarios:
        step(0.3, t("brief.step.scenario", lang))
        tables += [table for n, s in enumerate(scenarios, start=1) for table in _scenario(store, sel, s, n)]
    step(0.35, t("brief.step.charts", lang))
    figures = {}
    if not empty:
        figures["categories"] = charts.category_dumbbell(  # the page's width is known: names on the axis
            sections.categories(summary),
            summary,
            lang,
            sections.cutoffs(store.scheme, sel.compare, lang),
            names_on_axis=True,
        )
        figures["trend"] = charts.category_trend_lines(
            stats, lang, cutoffs=sections.cutoffs(store.scheme, sel.compare, lang)
        )
        if len(lowest):
            figures["lowest"] = charts.lowest_criteria(lowest, lang, sel.threshold, names, names_on_axis=True)
    made = date.today().isoformat()
    synthetic = f" · {t('brief.synthetic', lang)}" if store.synthetic else ""
    filters_text = _filters_text(store, sel)
    return Brief(
        lang=lang,
        title=t("brief.title", lang, **pair),
        context=" · ".join(f"{k}: {v}" for k, v in filters_text),
        summary=narrative.summary_text(summary, lang),
        kpis=_kpis(summary, lang),
        numbers=_numbers(summary, lang),
        warnings=warnings,
        tables=tables,
        figures=figures,
        footer=t("brief.footer", lang, version=store.version_label, made=made) + synthetic,
        # the Excel brief's sheets have no titles: its selection names each scenario and what it proposes
        filters=filters_text
        + [
            (t("brief.sheet.scenario", lang, n=key.removeprefix("scenario_")), f"{table.title}: {table.note}")
            for table in tables
            if (key := table.key).startswith("scenario_") and key.removeprefix("scenario_").isdigit()
        ],
        about=[
            (t("brief.about.data", lang), store.version_label),
            (t("brief.about.made", lang), made),
            (t("brief.about.synthetic", lang), t("brief.yes" if store.synthetic else "brief.no", lang)),
            (t("brief.about.pct", lang), t("brief.about.pct_text", lang)),
            (t("brief.about.pts", lang), t("brief.about.pts_text", lang)),
            (t("brief.about.share", lang), t("brief.about.share_text", lang, threshold=sel.threshold)),
            (t("brief.about.flags", lang), t("criteria.cuts", lang, threshold=sel.threshold, **sections.CUTS)),
        ],
        empty=empty,
    )
