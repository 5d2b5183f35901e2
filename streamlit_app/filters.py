"""The case filters the pages share (segment, persona, channel, priority, lifecycle stage),
in the sidebar and in the URL's query parameters, so that a view can be shared as a link.

A parameter repeats for several values (`?channel=chat&channel=voice`); a value the
current publication does not know is ignored rather than breaking the page.
"""

from __future__ import annotations

import datetime as dt

import cases
import streamlit as st

LABELS = {"segment": "Segment", "persona": "Persona", "channel": "Channel", "priority": "Priority", "stage": "Lifecycle stage"}


def case_filters() -> cases.CaseFilters:
    """The chosen values of each filter (an empty tuple: everything)."""
    options = cases.filter_options()
    chosen: cases.CaseFilters = {}
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


def monday(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week: where a week of the weekly marts starts."""
    return day - dt.timedelta(days=day.weekday())


def default_period(
    as_of: dt.datetime | None, lo: dt.date, hi: dt.date
) -> tuple[dt.date, dt.date]:
    """The last 8 full ISO weeks (Monday to Sunday) before ``as_of``, clamped to the
    picker's bounds [lo, hi]."""
    anchor = as_of.date() if as_of is not None else hi + dt.timedelta(days=1)
    this_monday = monday(anchor)
    start, end = this_monday - dt.timedelta(weeks=8), this_monday - dt.timedelta(days=1)
    start, end = max(start, lo), min(end, hi)
    if start > end:  # the data lies entirely outside those weeks: show all of it
        return lo, hi
    return start, end


def period(as_of: dt.datetime | None, lo: dt.date, hi: dt.date) -> tuple[dt.date, dt.date]:
    """Inclusive first and last day of the chosen period (of ``started_at``, UTC)."""
    max_day = max(hi, as_of.date()) if as_of is not None else hi
    if "tts_period" not in st.session_state:  # first view: a shared link's period, else the default
        shared = period_from_url()
        st.session_state["tts_period"] = (
            (max(shared[0], lo), min(shared[1], max_day)) if shared else default_period(as_of, lo, max_day)
        )
    picked = st.sidebar.date_input(
        "Cases started between (UTC)",
        min_value=lo,
        max_value=max_day,
        key="tts_period",
        help="A case belongs to the period in which the customer's problem started "
        "(`started_at`). Defaults to the last 8 full weeks before the data's as-of time.",
    )
    if isinstance(picked, dt.date):
        period = picked, picked
    elif len(picked) == 0:  # the user cleared the field
        period = default_period(as_of, lo, max_day)
    elif len(picked) == 1:  # the user has clicked a start day but no end day yet
        period = picked[0], picked[0]
    else:
        period = picked[0], picked[1]
    keep_period_in_url(*period)
    return period
