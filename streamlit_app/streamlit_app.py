"""Entry point of the Time to Smile app: page setup and navigation only.

Run with ``streamlit run streamlit_app/streamlit_app.py`` (or ``smile app``).
Pages live in ``app_pages/`` (not ``pages/``, which Streamlit would auto-discover
alongside ``st.navigation``); data access lives in modules by subject: ``serving.py``
(the connection and its cache), ``cases.py``, ``holders.py``, ``accounts.py``,
``metric_marts.py``, ``outlook.py``, ``run_history.py``, and ``kaplan_meier.py`` (dbt's estimator).
"""

import sys
from pathlib import Path

import streamlit as st

# Pages import the sibling data modules (serving, cases, ...), whatever the working directory.
_APP_DIR = str(Path(__file__).resolve().parent)
if _APP_DIR not in sys.path:
    sys.path.insert(0, _APP_DIR)

st.set_page_config(page_title="Time to Smile", layout="wide")

from quality_badge import render_badge  # noqa: E402 (needs the app directory on sys.path)

render_badge()

pages = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/sentiment_satisfied:", default=True),
    st.Page("app_pages/where_the_time_goes.py", title="Where the time goes", icon=":material/hourglass_bottom:"),
    st.Page("app_pages/at_risk.py", title="At risk now", icon=":material/running_with_errors:"),
    st.Page("app_pages/handoffs.py", title="Handoffs", icon=":material/swap_horiz:"),
    st.Page("app_pages/lifecycle.py", title="Lifecycle", icon=":material/autorenew:"),
    st.Page("app_pages/voice.py", title="Voice of the customer", icon=":material/forum:"),
    st.Page("app_pages/retention.py", title="Retention", icon=":material/group_remove:"),
    st.Page("app_pages/engineering.py", title="Engineering", icon=":material/bug_report:"),
    st.Page("app_pages/one_pager.py", title="Weekly one-pager", icon=":material/description:"),
]

st.navigation(pages).run()
