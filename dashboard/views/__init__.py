"""The views layer: what each page section, the command line and the brief show (sections), in the
reader's language (i18n, formatting, narrative), and the link that names a view (links). No Streamlit."""
