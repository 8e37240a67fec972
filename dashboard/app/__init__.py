"""The Streamlit app: the entry file, the shared widgets and cache (ui), and thin pages."""
