"""The baseline an import is measured against: DuckDB's own read_csv of the same file into a table (its
types sniffed, nothing checked), as a whole process.

    python -m bench.import_way CSV_FILE
"""

import sys

import duckdb

if __name__ == "__main__":
    con = duckdb.connect()
    con.read_csv(sys.argv[1]).create("scores")
    print(con.execute("select count(*) from scores").fetchone()[0])
