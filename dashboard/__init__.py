"""PMQA 4.0 results dashboard: data contract, query layer, command line and Streamlit app."""
