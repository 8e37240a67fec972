"""The baseline an export is measured against: DuckDB's own COPY of the same selection (the export's
named query, with the same years) from the same kept file, as a whole process.

    python -m bench.copy_way KEPT_FILE QUERY YEAR[,YEAR...] OUT FORMAT
"""

import sys

import duckdb

from dashboard.data import sql

if __name__ == "__main__":
    kept, query, years, out, fmt = sys.argv[1:]
    text = sql.load(query)
    # No filter but the years: the export's Filters(years=...) as the query's parameters.
    params = {"years": [int(y) for y in years.split(",")], "agency_types": [], "groups": [], "agency_codes": []}
    params["categories"] = []
    con = duckdb.connect(kept, read_only=True)
    con.execute(f"copy ({text}) to '{out}' (format {fmt})", sql.bind(text, params))
