"""The Streamlit app: the entry file (streamlit_app.py), a module per job (cache, language, link,
sidebar, notices, agencies, tables, plots, files) and thin pages (app_pages/)."""
