"""PMQA 4.0 results dashboard: data contract, query layer, command line and Streamlit app."""

__version__ = "0.1.0"
