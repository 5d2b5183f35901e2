"""What every page shares: its prologue (title, the not-yet-published message, the
filters and the period), its footer (which publication this is), and the heading
every figure carries (its title, its definition from the metric catalogue on hover,
and whose perspective it measures).

A page is a function of a ``View``; ``show`` runs it and turns a publication that
vanished mid-run into the same friendly message as no publication at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

import cases
import filters
import metric_marts
import serving
import streamlit as st

#: The badge colour of each perspective: the customer's (what they live) and the company's (its own targets).
PERSPECTIVE_COLOURS = {"customer": "blue", "company": "orange"}


class View(NamedTuple):
    """What the reader chose: the publication, the period of ``started_at`` and the case filters."""

    publication: dict[str, Any]
    first_day: dt.date
    last_day: dt.date
    filters: cases.CaseFilters

    @property
    def end(self) -> dt.date:
        """The day after the period: periods are [first_day, end)."""
        return self.last_day + dt.timedelta(days=1)


def show(title: str, caption: str, body: Callable[[View], None]) -> None:
    """Render a page: title and caption, then ``body`` on the reader's view, then the footer."""
    st.title(title)
    st.caption(caption)
    try:
        if not serving.is_published():
            raise serving.ServingNotPublished
        publication = serving.publication()
        lo, hi = cases.started_at_bounds()
        if lo is None or hi is None:
            st.info("The current publication holds no cases yet. Run `smile run` after new helpdesk data arrives.")
        else:
            chosen = filters.case_filters()
            first_day, last_day = filters.period(publication["as_of"], lo, hi)
            body(View(publication, first_day, last_day, chosen))
        footer(publication)
    except serving.ServingNotPublished:  # none yet, or removed between the check and a query
        st.info(serving.not_published_message())


def footer(publication: dict[str, Any]) -> None:
    def fmt(ts: dt.datetime | None) -> str:
        return "unknown" if ts is None else f"{ts:%Y-%m-%d %H:%M} UTC"

    st.caption(
        f"Published {fmt(publication['published_at'])} · data as of "
        f"{fmt(publication['as_of'])} · run {publication['run_id'] or 'unknown'}"
    )


def heading(title: str, metric: str | None = None, *, perspective: str | None = None, scope: str | None = None) -> None:
    """A figure's title: its catalogue definition on hover (``metric``), its perspective
    beside it (the catalogue's, or ``perspective`` for figures that are not one metric),
    and what the filters narrowed it to (``scope``)."""
    info = metric_marts.metric_info(metric) if metric else None
    perspective = perspective or (info["perspective"] if info else None)
    st.subheader(title, help=info["definition"] if info else None)
    if perspective:
        st.badge(f"{perspective.capitalize()} perspective", color=PERSPECTIVE_COLOURS.get(perspective, "gray"),
                 icon=":material/person:" if perspective == "customer" else ":material/apartment:")
    if scope:
        st.caption(scope)
