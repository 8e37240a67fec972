"""The outputs: pure chart builders and file writers (CSV, XLSX, Parquet) for pages, notebooks and briefs."""
