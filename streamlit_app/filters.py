"""The case filters the pages share (segment, persona, channel, priority, lifecycle stage),
in the sidebar and in the URL's query parameters, so that a view can be shared as a link.

A parameter repeats for several values (`?channel=chat&channel=voice`); a value the
current publication does not know is ignored rather than breaking the page.
"""

from __future__ import annotations

import datetime as dt

import data
import streamlit as st

LABELS = {"segment": "Segment", "persona": "Persona", "channel": "Channel", "priority": "Priority", "stage": "Lifecycle stage"}


def case_filters() -> data.CaseFilters:
    """The chosen values of each filter (an empty tuple: everything)."""
    options = data.filter_options()
    chosen: data.CaseFilters = {}
    with st.sidebar.expander("Filters", expanded=True):
        for name, label in LABELS.items():
            key = f"filter_{name}"
            if key not in st.session_state:  # a shared link: start from the URL
                st.session_state[key] = [v for v in st.query_params.get_all(name) if v in options[name]]
            values = st.multiselect(label, options[name], key=key, placeholder="All")
            chosen[name] = tuple(values)
            if values:
                st.query_params[name] = values
            elif name in st.query_params:
                del st.query_params[name]
    return chosen


def period_from_url() -> tuple[dt.date, dt.date] | None:
    """`?from=YYYY-MM-DD&to=YYYY-MM-DD`, when both are there and in order."""
    try:
        start, end = dt.date.fromisoformat(st.query_params["from"]), dt.date.fromisoformat(st.query_params["to"])
    except (KeyError, ValueError):
        return None
    return (start, end) if start <= end else None


def keep_period_in_url(start: dt.date, end: dt.date) -> None:
    st.query_params["from"], st.query_params["to"] = start.isoformat(), end.isoformat()
