"""Chart builders: pure functions from a query's DataFrame to a Plotly figure.

No Streamlit and no queries here, so the same builders serve the pages, the notebooks and a
future meeting pack (PDF, PowerPoint). Years are drawn as category labels (B.E., with C.E. in
English), never as numbers, so an axis can never read "2,564.5".
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from dashboard.views import formatting as fmt
from dashboard.views.i18n import category_name, t, year_label

FONT = "Sarabun, Garuda, 'Noto Sans Thai', sans-serif"
# Seven categories in Okabe and Ito's colour-blind-safe set (its yellow, unreadable on white, left
# out; black for category 7, Results), the same category in the same colour on every chart.
CATEGORY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
BASE_COLOUR, COMPARE_COLOUR = "#9AA5B1", "#1F4E9C"
# Agency types in blues and a grey: a count, not a category, so never in the categories' colours.
TYPE_COLOURS = {"department": "#1F4E9C", "province": "#7FA7D9", "public_organization": "#B8C2CC"}


def _layout(fig: go.Figure, title: str = "", height: int = 420) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", y=0.98, yanchor="top") if title else None,
        font=dict(family=FONT, size=14),
        height=height,
        margin=dict(l=10, r=10, t=90 if title else TOP_UNTITLED, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        template="plotly_white",
    )
    return fig


def untitled(fig: go.Figure) -> go.Figure:
    """A copy without its title, for a page that gives the title as its own heading: Plotly's title
    does not wrap (a long one ran off a phone's screen) and the chart's toolbar covered it."""
    return go.Figure(fig).update_layout(title=None, margin_t=TOP_UNTITLED)


TOP_UNTITLED = 40  # pixels above a plot without a title: its legend's row


# Pixels between the x axis's cut-offs' names (a Thai line, tone marks and all), and how many heights
CUTOFF_STEP, CUTOFF_STEPS = 18, 3


def _cutoff_lines(fig: go.Figure, cutoffs: list[tuple[str, float]] | None, axis: str = "y") -> None:
    """The scheme's status-level cut-offs as thin dotted reference lines, each named. Across a y axis
    the name is the axis's own label at that height ("Basic 50%"): drawn on the plot, at the lines'
    start, it sat on the first year's points; a round tick within 5 points gives way to it."""
    line = dict(line_width=1, line_dash="dot", line_color="#8A949E", layer="below")
    for label, pct in cutoffs or []:
        if axis == "y":
            fig.add_hline(y=pct, **line)
        else:
            note = dict(annotation_text=f"{label} {pct:g}%", annotation_font=dict(size=11, color="#5B6770"))
            fig.add_vline(x=pct, annotation_position="bottom right", **line, **note)  # clear of the legend
            # each name a step above the one before, so on a narrow plot (a phone's) they do not
            # print over each other; the chart leaves room under its rows for CUTOFF_STEPS steps
            fig.layout.annotations[-1].yshift = CUTOFF_STEP * (len(fig.layout.annotations) % CUTOFF_STEPS)
    if axis == "y" and cutoffs:
        named = {pct: f"{label} {pct:g}%" for label, pct in cutoffs}
        ticks = sorted({*named, *(v for v in range(0, 101, 10) if all(abs(v - c) > 5 for c in named))})
        fig.update_yaxes(tickvals=ticks, ticktext=[named.get(v, f"{v:g}%") for v in ticks])


END_LABEL_SIZE = 12
END_LABEL_CHAR = 8  # pixels a name's character takes at most (Thai's widest letters about 7.7, tone marks none)
END_LABEL_LINE = 20  # pixels a name takes up and down: Thai's vowels and tone marks stand above and below
X_AXIS_ROOM = 120  # pixels under a plot for the x axis's labels (turned on a phone) and title, at most


def _label_line_ends(fig: go.Figure, height: int) -> go.Figure:
    """Each line's name at its last point, in its colour, so a reader need not match a legend.
    Lines that end close together (a sample's categories 1 and 6, or 2, 3 and 5) would print their
    names over each other: the names are spread apart by a label's height, as little as that
    needs, on a y axis whose range is fixed so that a point's height in pixels is known.
    On a category axis an annotation's x is the category's position: a label such as "2565" would
    be read as position 2565 and squash every line against the left edge."""
    order = list(dict.fromkeys(x for trace in fig.data for x in trace.x))
    ends = []
    for trace in fig.data:
        points = [(x, y) for x, y in zip(trace.x, trace.y, strict=True) if y is not None and y == y]
        if trace.mode and "lines" in trace.mode and points:
            ends.append((points[-1][1], order.index(points[-1][0]), trace))
    values = [y for trace in fig.data for y in trace.y if y is not None and y == y]
    values += [shape.y0 for shape in fig.layout.shapes if shape.y0 is not None]  # the cut-off lines
    if not values:
        return fig
    low, high = min(values), max(values)
    pad = max((high - low) * 0.06, 1.0)
    low, high = low - pad, high + pad
    drawn = height - fig.layout.margin.t - fig.layout.margin.b - X_AXIS_ROOM
    gap = END_LABEL_LINE * (high - low) / drawn  # a name's height in units of y
    placed = _spread(sorted(y for y, _, _ in ends), gap, low, high)
    for (_, x, trace), y in zip(sorted(ends, key=lambda e: e[0]), placed, strict=True):
        fig.add_annotation(
            x=x,
            y=y,
            text=(trace.meta or {}).get("end", trace.name),
            showarrow=False,
            xanchor="left",
            xshift=8,
            font=dict(size=END_LABEL_SIZE, color=trace.line.color),
        )
    fig.update_yaxes(range=[low, high])
    # room on the right for the longest name, no more: a fixed 120 px left a phone's plot 118 px wide
    names = [a.text for a in fig.layout.annotations]
    fig.update_layout(showlegend=False, margin=dict(r=min(120, 8 + END_LABEL_CHAR * max(map(len, names), default=0))))
    return fig


def _spread(ys: list[float], gap: float, low: float, high: float) -> list[float]:
    """Heights in ascending order, moved apart to at least `gap`, each as little as it can: names
    that would crowd form a run centred on their own heights (the mean of where each would start
    it), runs that then meet merge; every run is kept between low and high."""
    runs: list[list[float]] = []  # each run: its members' own heights
    for y in ys:
        runs.append([y])
        while len(runs) > 1 and _start(runs[-2], gap, low, high) + len(runs[-2]) * gap > _start(
            runs[-1], gap, low, high
        ):
            runs[-2:] = [runs[-2] + runs[-1]]
    placed = []
    for run in runs:
        start = _start(run, gap, low, high)
        placed += [start + k * gap for k in range(len(run))]
    return placed


def _start(run: list[float], gap: float, low: float, high: float) -> float:
    """Where a run of names starts: its members' heights less their place in it, on average, within
    the plot (its top name half a name under the top)."""
    start = sum(y - k * gap for k, y in enumerate(run)) / len(run)
    return max(low, min(start, high - gap / 2 - (len(run) - 1) * gap))


def _category_label(category: int, lang: str, long: bool = True) -> str:
    short = t("category.short", lang, n=int(category))
    return f"{short} {category_name(category, lang)}" if long else short


def _years(values, lang: str) -> list[str]:
    return [year_label(y, lang) for y in values]


def category_dumbbell(
    cats: pd.DataFrame,
    s: dict,
    lang: str,
    cutoffs: list[tuple[str, float]] | None = None,
    names_on_axis: bool = False,
) -> go.Figure:
    """Each category's mean in the base and the compare year, joined; strongest and weakest marked.
    The axis says "หมวด 1 ▲" and the name is in the hover and the chart's table: on a phone the
    names (Thai does not wrap at spaces) took most of the width and left the points a strip.
    `names_on_axis` puts them back where the width is known to be enough (the brief's page)."""
    cats = cats.dropna(subset=["base_mean_pct", "compare_mean_pct"], how="all").sort_values("category", ascending=False)
    marks = [(" ▲" if c in s["strongest"] else "") + (" ▼" if c == s["weakest"] else "") for c in cats["category"]]
    labels = [_category_label(c, lang) + m for c, m in zip(cats["category"], marks, strict=True)]
    short = [_category_label(c, lang, long=False) + m for c, m in zip(cats["category"], marks, strict=True)]
    # Either year's point tells the whole row: both years and the change, in words already formatted
    # (a category missing in one year reads "–", not "NaN"); a click still names the category first.
    base_name, compare_name = year_label(s["base_year"], lang), year_label(s["compare_year"], lang)
    columns = (cats["category"], cats["base_mean_pct"], cats["compare_mean_pct"], cats["delta_pts"])
    told = [
        [int(c), fmt.pct(b), fmt.pct(n), fmt.pp(d, lang) or fmt.MISSING] for c, b, n, d in zip(*columns, strict=True)
    ]
    hover = (
        f"%{{y}}<br>{base_name}: %{{customdata[1]}}<br>{compare_name}: %{{customdata[2]}}"
        f"<br>{t('hover.change', lang)}: %{{customdata[3]}}<extra></extra>"
    )
    fig = go.Figure()
    for y, lo, hi in zip(labels, cats["base_mean_pct"], cats["compare_mean_pct"], strict=True):
        fig.add_trace(
            go.Scatter(
                x=[lo, hi],
                y=[y, y],
                mode="lines",
                line=dict(color="#C8CED6", width=4),
                showlegend=False,
                hoverinfo="skip",
            )
        )
    for column, year, colour in (
        ("base_mean_pct", s["base_year"], BASE_COLOUR),
        ("compare_mean_pct", s["compare_year"], COMPARE_COLOUR),
    ):
        fig.add_trace(
            go.Scatter(
                x=cats[column],
                y=labels,
                mode="markers",
                name=year_label(year, lang),
                marker=dict(size=14, color=colour, symbol="circle" if column == "compare_mean_pct" else "diamond"),
                customdata=told,  # a click on a point names its category (the first item)
                hovertemplate=hover,
            )
        )
    fig.update_xaxes(title=t("axis.mean_pct", lang), ticksuffix="%")
    # Free space under the lowest row (category 7), where the cut-offs' names stand, stepped: at the
    # plot's floor they printed over category 7's points
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=labels,
        tickvals=labels,
        ticktext=labels if names_on_axis else short,
        automargin=True,
        range=[-1.9, len(labels) - 0.5],
    )
    _cutoff_lines(fig, cutoffs, axis="x")
    return _layout(fig, t("chart.dumbbell", lang), height=440)


def category_trend_lines(
    stats: pd.DataFrame,
    lang: str,
    like_for_like: bool = False,
    overall: pd.DataFrame | None = None,
    cutoffs: list[tuple[str, float]] | None = None,
    height: int = 420,
) -> go.Figure:
    """Mean percentage per category over the years, and the mean total as a dashed line when given;
    like-for-like uses agencies present every year."""
    column = "like_for_like_mean_pct" if like_for_like else "mean_pct"
    fig = go.Figure()
    if overall is not None:
        fig.add_trace(
            go.Scatter(
                x=_years(overall["fiscal_year"], lang),
                y=overall[column],
                mode="lines",
                name=t("legend.overall", lang),
                meta=dict(end=t("legend.overall_end", lang)),  # its name at the line's end: the whole ran off a phone
                line=dict(color="#333333", width=2, dash="dash"),
                hovertemplate=t("legend.overall", lang) + "<br>%{x}: %{y:.1f}%<extra></extra>",
            )
        )
    for category, part in stats.groupby("category"):
        fig.add_trace(
            go.Scatter(
                x=_years(part["fiscal_year"], lang),
                y=part[column],
                mode="lines+markers",
                name=_category_label(category, lang, long=False),
                line=dict(color=CATEGORY_COLOURS[int(category) - 1], width=3),
                customdata=[int(category)] * len(part),  # a click on a point names its category
                hovertemplate=_category_label(category, lang) + "<br>%{x}: %{y:.1f}%<extra></extra>",
            )
        )
    fig.update_xaxes(type="category", title=t("axis.fiscal_year", lang))
    fig.update_yaxes(title=t("axis.mean_pct", lang), ticksuffix="%")
    _cutoff_lines(fig, cutoffs)
    title = t("chart.trend_like_for_like", lang) if like_for_like else t("chart.trend", lang)
    return _label_line_ends(_layout(fig, title, height=height), height)


def category_spread(stats: pd.DataFrame, lang: str) -> go.Figure:
    """The spread of agency percentages per category and year, as boxes from precomputed quartiles
    (so the chart costs the same for 300 agencies or 8,000)."""
    stats = stats.assign(label=[_category_label(c, lang, long=False) for c in stats["category"]])
    fig = _quartile_boxes(stats, "label", lang, fences=("min_pct", "max_pct"))
    fig.update_yaxes(title=t("axis.agency_pct", lang), ticksuffix="%")
    return _layout(fig, t("chart.spread", lang), height=460)


def _quartile_boxes(df: pd.DataFrame, x: str, lang: str, fences: tuple[str, str]) -> go.Figure:
    """One box trace per year, drawn from the query's quartiles rather than from raw points."""
    fig = go.Figure()
    years = sorted(df["fiscal_year"].unique())
    for year, colour in zip(years, _year_shades(len(years)), strict=True):
        part = df[df["fiscal_year"] == year]
        fig.add_trace(
            go.Box(
                x=part[x],
                q1=part["q1_pct"],
                median=part["median_pct"],
                q3=part["q3_pct"],
                lowerfence=part[fences[0]],
                upperfence=part[fences[1]],
                mean=part["mean_pct"],
                name=year_label(year, lang),
                marker_color=colour,
                boxmean=True,
                yhoverformat=".1f",  # quartiles read 62.9, not 62.91667
            )
        )
    fig.update_layout(boxmode="group")
    return fig


def _year_shades(n: int) -> list[str]:
    """Light to dark blue, so later years read as darker."""
    if n == 1:
        return [COMPARE_COLOUR]
    lo, hi = (190, 205, 225), (31, 78, 156)
    return [
        "#" + "".join(f"{round(a + (b - a) * i / (n - 1)):02X}" for a, b in zip(lo, hi, strict=True)) for i in range(n)
    ]


def agency_counts(counts: pd.DataFrame, lang: str) -> go.Figure:
    """Agencies assessed per year, stacked by type."""
    fig = go.Figure()
    for agency_type, part in counts.groupby("agency_type", sort=True):
        fig.add_trace(
            go.Bar(
                x=_years(part["fiscal_year"], lang),
                y=part["agencies"],
                name=t(f"type.{agency_type}", lang),
                marker_color=TYPE_COLOURS.get(agency_type, "#5B6770"),
                customdata=part[["joined", "left_since"]].astype("Float64").fillna(0).to_numpy(),
                hovertemplate="%{x}: %{y}<br>" + t("hover.joined_left", lang) + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", title=t("axis.fiscal_year", lang))
    fig.update_yaxes(title=t("axis.agencies", lang))
    return _layout(fig, t("chart.counts", lang), height=360)


def rank_heatmap(stats: pd.DataFrame, lang: str) -> go.Figure:
    """Category x year: colour is the mean percentage, the text its rank in the year."""
    mean = stats.pivot(index="category", columns="fiscal_year", values="mean_pct").sort_index(ascending=False)
    rank = stats.pivot(index="category", columns="fiscal_year", values="rank_in_year").reindex_like(mean)
    text = [
        [f"{v:.1f}%<br>#{int(r)}" for v, r in zip(row_v, row_r, strict=True)]
        for row_v, row_r in zip(mean.to_numpy(), rank.to_numpy(), strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=mean.to_numpy(),
            x=_years(mean.columns, lang),
            y=[_category_label(c, lang) for c in mean.index],
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            colorbar=dict(title="%"),
            hovertemplate="%{y}<br>%{x}: %{z:.1f}%<extra></extra>",
        )
    )
    fig.update_xaxes(type="category", side="top")
    # "หมวด 1" on the axis, the name in the hover and the table: as on the dumbbell, the names took
    # a phone's width (and ran off its left edge)
    fig.update_yaxes(tickvals=list(fig.data[0].y), ticktext=[_category_label(c, lang, long=False) for c in mean.index])
    return _layout(fig, t("chart.heatmap", lang), height=440)


def _named(codes, names: dict[str, str] | None, sep: str = " ") -> list[str]:
    """Criterion codes with their names beside them (names: code -> name in the reader's language)."""
    names = names or {}
    return [f"{c}{sep}{names[c]}" if names.get(c) else c for c in codes]


def lowest_criteria(
    crit: pd.DataFrame,
    lang: str,
    threshold: float,
    names: dict[str, str] | None = None,
    names_on_axis: bool = False,
) -> go.Figure:
    """The criteria with the largest share of agencies below the threshold, as horizontal bars. The
    axis gives each criterion's code, its name in the hover and the chart's table (the page's table
    under it too): on a 390 px phone the names left the bars 64 px. `names_on_axis` for a page known
    to be wide enough (the brief's)."""
    crit = crit.sort_values(["share_below_pct", "mean_pct"], ascending=[True, False])
    labels = _named(crit["criterion"], names)
    fig = go.Figure(
        go.Bar(
            x=crit["share_below_pct"],
            y=labels,
            orientation="h",
            marker_color="#C0392B",
            customdata=crit[["criterion", "mean_pct"]].to_numpy(),  # a click on a bar names its criterion
            hovertemplate=(
                t("criterion", lang)
                + " %{y}<br>"
                + t("hover.share_below", lang, threshold=threshold)
                + ": %{x:.1f}%<br>"
                + t("hover.mean", lang)
                + ": %{customdata[1]:.1f}%<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(title=t("axis.share_below", lang, threshold=threshold), ticksuffix="%", rangemode="tozero")
    shown = labels if names_on_axis else list(crit["criterion"])
    fig.update_yaxes(type="category", title=t("criterion", lang), tickvals=labels, ticktext=shown)
    return _layout(fig, t("chart.lowest_criteria", lang), height=max(300, 40 * len(crit) + 100))


def result_items(crit: pd.DataFrame, lang: str, names: dict[str, str] | None = None) -> go.Figure:
    """Category 7's result items per year: the middle half of agencies per item, one colour per year.
    The axis names each item by its code ("7.1"), its name in the hover and the chart's table: the
    names, turned to fit, took two thirds of the figure's height and left the boxes squashed."""
    crit = crit.assign(item=_named(crit["criterion"], names, sep="<br>"))
    fig = _quartile_boxes(crit, "item", lang, fences=("q1_pct", "q3_pct"))
    items = crit.drop_duplicates("item")
    fig.update_xaxes(
        type="category",
        title=t("axis.result_item", lang),
        tickvals=list(items["item"]),
        ticktext=list(items["criterion"]),
    )
    fig.update_yaxes(title=t("axis.agency_pct", lang), ticksuffix="%")
    return _layout(fig, t("chart.result_items", lang))


def agency_profile(
    peers: pd.DataFrame, lang: str, peer_set: str, cutoffs: list[tuple[str, float]] | None = None
) -> go.Figure:
    """An agency's category percentages against a peer set's median and middle half."""
    part = peers[peers["peer_set"] == peer_set].sort_values("category")
    labels = [_category_label(c, lang, long=False) for c in part["category"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=labels,
            y=part["q3_pct"] - part["q1_pct"],
            base=part["q1_pct"],
            name=t("legend.middle_half", lang),
            marker_color="#DCE3EC",
            # y is the bar's height (q3 - q1): the hover names q3 itself; a click names the category
            customdata=part[["category", "q3_pct"]].to_numpy(),
            hovertemplate="%{x}: %{base:.1f}–%{customdata[1]:.1f}%<extra></extra>",
            width=0.6,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=part["median_pct"],
            mode="markers",
            name=t("legend.peer_median", lang),
            marker=dict(symbol="line-ew-open", size=28, color="#5B6770", line=dict(width=3, color="#5B6770")),
            customdata=part["category"],
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=part["agency_pct"],
            mode="markers",
            name=t("legend.this_agency", lang),
            marker=dict(size=14, color=COMPARE_COLOUR),
            customdata=part["category"],  # a click on any of a category's marks names the category
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=t("axis.agency_pct", lang), ticksuffix="%", range=[0, 100])
    _cutoff_lines(fig, cutoffs)
    return _layout(fig, t("chart.profile", lang), height=400)


def agency_path(path: pd.DataFrame, lang: str, cutoffs: list[tuple[str, float]] | None = None) -> go.Figure:
    """One agency's category percentages over the years."""
    fig = category_trend_lines(path.rename(columns={"pct": "mean_pct"}), lang, cutoffs=cutoffs, height=380)
    fig.update_yaxes(title=t("axis.agency_pct", lang))
    fig.update_layout(title_text=t("chart.path", lang))
    return fig


def level_shares(levels: pd.DataFrame, lang: str) -> go.Figure:
    """Share of agencies at each status level, one bar per year, stacked to 100%."""
    fig = go.Figure()
    palette = {0: "#D5D8DC", 1: "#AED6F1", 2: "#5DADE2", 3: "#1F4E9C"}
    label_col = f"label_{lang}"
    for rank, part in levels.groupby("level_rank", sort=True):
        name = part[label_col].iloc[0] if rank else t("level.below", lang)
        fig.add_trace(
            go.Bar(
                y=_years(part["fiscal_year"], lang),
                x=part["share_pct"],
                orientation="h",
                name=name,
                marker_color=palette.get(int(rank), "#1F4E9C"),
                customdata=part["agencies"],
                hovertemplate=name + ": %{x:.1f}% (%{customdata})<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(ticksuffix="%", range=[0, 100])
    fig.update_yaxes(type="category")
    # room on the right for half of the "100%" that stands at the plot's edge (10 px cut it off)
    return _layout(fig, t("chart.levels", lang), height=300).update_layout(margin_r=30)


# The workbench's flags in Okabe and Ito's set: the two that ask for a text (unclear, hard) in its
# warmest colours; a criterion with no flag in a neutral grey, so the flagged ones stand out.
FLAG_COLOURS = {
    "unclear": "#D55E00",
    "hard": "#E69F00",
    "saturated": "#56B4E9",
    "redundant": "#CC79A7",
    "none": "#9AA5B1",
}


LABELLED_POINTS = 15  # beyond this many criteria their codes would overlap: the hover names each


def criteria_map(crit: pd.DataFrame, lang: str, threshold: float, cut: float) -> go.Figure:
    """Each criterion as a point: its difficulty (mean %) across, its discrimination up, coloured by
    its flag; the threshold and the discrimination cut as lines. A criterion without a
    discrimination (too few agencies, no variance) has no height and is left out: the page says so.
    `crit` holds the workbench's criteria (criterion, name, mean_pct, discrimination, flag)."""
    drawn = crit.dropna(subset=["mean_pct", "discrimination"])
    labelled = len(drawn) <= LABELLED_POINTS
    fig = go.Figure()
    for flag, colour in FLAG_COLOURS.items():
        part = drawn[drawn["flag"] == flag]
        if part.empty:
            continue
        word = t(f"criteria.flag.{flag}", lang)
        fig.add_trace(
            go.Scatter(
                x=part["mean_pct"],
                y=part["discrimination"],
                mode="markers+text" if labelled else "markers",
                name=word,
                text=part["criterion"],
                textposition="top center",
                textfont=dict(size=11, color="#5B6770"),
                marker=dict(size=12, color=colour, line=dict(width=1, color="#FFFFFF")),
                customdata=part[["criterion", "name"]].to_numpy(),  # a click on a point names its criterion
                hovertemplate=(
                    "%{customdata[0]} %{customdata[1]}<br>"
                    + t("hover.mean", lang)
                    + ": %{x:.1f}%<br>r = %{y:.2f}<extra>"
                    + word
                    + "</extra>"
                ),
            )
        )
    guide = dict(line_width=1, line_dash="dash", line_color="#5B6770", layer="below")
    fig.add_vline(x=threshold, annotation_text=f"{threshold:g}%", annotation_position="bottom right", **guide)
    fig.add_hline(y=cut, annotation_text=f"r = {cut:g}", annotation_position="top left", **guide)
    fig.update_xaxes(title=t("axis.difficulty", lang), ticksuffix="%", range=[0, 103])
    low = min([0.0, *drawn["discrimination"]]) - 0.05  # from 0 (or below it) to 1: the cut always in view
    fig.update_yaxes(title=t("axis.discrimination", lang), range=[low, 1.02], zeroline=True)
    return _layout(fig, t("chart.criteria_map", lang), height=480)


def scenario_levels(columns: list[tuple[str, list[dict]]], lang: str) -> go.Figure:
    """Agencies per status level now and under each proposal, side by side: one group of bars per
    level, lowest first; `columns` is (name, [{level, label, count}]) with "now" first."""
    fig = go.Figure()
    shades = ["#9AA5B1", "#1F4E9C", "#E69F00"]  # now in grey; the proposals in two colours apart
    for i, (name, levels) in enumerate(columns):
        total = sum(lv["count"] for lv in levels) or 1
        labels = [lv["label"] or t("level.below", lang) for lv in levels]
        counts = [lv["count"] for lv in levels]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=counts,
                # a proposal's name comes from a file or a link: Plotly would read its tags as markup
                name=html.escape(name),
                marker_color=shades[i % len(shades)],
                text=[f"{c:,}" for c in counts],
                textposition="outside",
                customdata=[100 * c / total for c in counts],
                hovertemplate="%{fullData.name}: %{y:,} (%{customdata:.1f}%)<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=t("axis.agencies", lang), rangemode="tozero")
    return _layout(fig, t("chart.scenario_levels", lang), height=360)


def as_table(fig: go.Figure) -> pd.DataFrame:
    """A chart's text alternative (for a screen reader, which cannot read a drawing): one row per
    label (a year, a category, a criterion), one column per named series, each value as text with
    the axis's unit. A box reads as its median; a bar drawn from a base as its range."""
    columns: dict[str, dict] = {}
    for trace in fig.data:
        if trace.type == "heatmap":  # its cells' own text: the value and the rank
            return pd.DataFrame(
                [[str(cell).replace("<br>", " ") for cell in row] for row in trace.text], index=trace.y, columns=trace.x
            )
        if trace.hoverinfo == "skip":
            continue  # the dumbbell's joining lines: the points carry the values
        if _numeric(trace.x) and _numeric(trace.y):  # a map of points: each named by its text, both values
            units = (fig.layout.xaxis.ticksuffix or "", fig.layout.yaxis.ticksuffix or "")
            told = [f"{x:.1f}{units[0]} · {y:.2f}{units[1]}" for x, y in zip(trace.x, trace.y, strict=True)]
            columns[trace.name or ""] = dict(zip(trace.text, told, strict=True))
            continue
        across = trace.type == "bar" and trace.orientation == "h" or _numeric(trace.x) and not _numeric(trace.y)
        labels, values = (trace.y, trace.x) if across else (trace.x, trace.median if trace.type == "box" else trace.y)
        axis = fig.layout.xaxis if across else fig.layout.yaxis
        unit = axis.ticksuffix or ""
        bases = trace.base if trace.type == "bar" and trace.base is not None else [None] * len(values)
        columns[trace.name or axis.title.text or ""] = {
            str(label).replace("<br>", " "): _said(value, base, unit)
            for label, value, base in zip(labels, values, bases, strict=True)
        }
    return pd.DataFrame(columns).fillna(fmt.MISSING)


def _numeric(values) -> bool:
    return values is not None and len(values) > 0 and all(isinstance(v, int | float) for v in values)


def _said(value, base, unit: str) -> str:
    if value is None or value != value:
        return fmt.MISSING
    if base is not None:
        return f"{base:.1f}–{base + value:.1f}{unit}"
    return f"{value:,.1f}{unit}" if isinstance(value, float) else f"{value:,}{unit}"
