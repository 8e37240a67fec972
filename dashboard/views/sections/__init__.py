"""The views: what each section of a page, the command line, the notebook and the brief shows, as data.

One function per section, in a module per page. Each takes the data (a db.Store: the data as one
person may see it) and the selection, runs named queries and shapes their rows: no Streamlit, no
number the SQL did not compute, one rule for each choice (what "lowest" means, how movers are
ordered), so every screen and file says the same thing. A number is traced page → section → named
query → SQL; the app caches these functions, never a query of its own.
"""

from dashboard.data.db import Filters
from dashboard.views.sections.agency import (
    MIN_PEERS,
    MIN_QUARTILE_PEERS,
    MOVERS,
    agency,
    agency_headline,
    movers,
    profile,
)
from dashboard.views.sections.common import (
    AGENCY_TYPES,
    Data,
    agency_labels,
    criterion_names,
    cutoffs,
    data_source,
    groups,
    with_names,
)
from dashboard.views.sections.compare import criteria_changed, warning
from dashboard.views.sections.criteria import CUTS, FLAGS, agencies_below, workbench
from dashboard.views.sections.explore import (
    BELOW_COLUMNS,
    EXPORT_QUERIES,
    below_table,
    copied,
    reading,
    rows,
    table,
    window,
)
from dashboard.views.sections.overview import categories, overview, summary
from dashboard.views.sections.quality import HISTORY_COLUMNS, history, history_line, quality
from dashboard.views.sections.scenarios import (
    INDICATOR_COLUMNS,
    LEVEL_COLUMNS,
    SCENARIO_COLUMNS,
    categories_side_by_side,
    changes_table,
    indicators_table,
    level_table,
    levels_side_by_side,
    proposal_text,
    scenario,
    year_criteria,
    year_levels,
)
from dashboard.views.sections.scenarios import params as scenario_params
from dashboard.views.sections.strengths import (
    LOWEST_CRITERIA,
    category_ranks,
    lowest_criteria,
    result_items,
    result_stats,
)
from dashboard.views.sections.trends import category_stats, trends

__all__ = [
    "AGENCY_TYPES",
    "BELOW_COLUMNS",
    "CUTS",
    "EXPORT_QUERIES",
    "FLAGS",
    "HISTORY_COLUMNS",
    "INDICATOR_COLUMNS",
    "LEVEL_COLUMNS",
    "LOWEST_CRITERIA",
    "MIN_PEERS",
    "MIN_QUARTILE_PEERS",
    "MOVERS",
    "SCENARIO_COLUMNS",
    "Data",
    "Filters",
    "agencies_below",
    "agency",
    "agency_headline",
    "agency_labels",
    "below_table",
    "categories",
    "categories_side_by_side",
    "category_ranks",
    "category_stats",
    "changes_table",
    "copied",
    "criteria_changed",
    "criterion_names",
    "cutoffs",
    "data_source",
    "groups",
    "history",
    "history_line",
    "level_table",
    "indicators_table",
    "levels_side_by_side",
    "lowest_criteria",
    "movers",
    "overview",
    "profile",
    "proposal_text",
    "quality",
    "reading",
    "result_items",
    "result_stats",
    "rows",
    "scenario",
    "scenario_params",
    "summary",
    "table",
    "trends",
    "warning",
    "window",
    "workbench",
    "with_names",
    "year_criteria",
    "year_levels",
]
