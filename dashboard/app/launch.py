"""What `pmqa run` starts (`streamlit run launch.py`): the dashboard, streamlit_app.py, as a
Streamlit ASGI app (st.App), so that
- the server itself refuses what no page can guard (guard.py: the metrics endpoint, uploads before
  sign-in or past a session's share);
- sign-in settings from the PMQA_OIDC_* variables reach Streamlit as its secrets without ever being
  written to a file (`run` sets PMQA_AUTH_FROM_ENV after checking them).
"""

import os

import streamlit as st
from starlette.middleware import Middleware

from dashboard.app import auth_config, guard

app = st.App(
    "streamlit_app.py",
    middleware=[Middleware(guard.Guard)],
    secrets=auth_config.environment_secrets() if os.environ.get("PMQA_AUTH_FROM_ENV") == "1" else None,
)
