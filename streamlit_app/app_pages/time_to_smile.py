"""Time to Smile: how long customers wait to be happy again, and where that time goes."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

import data
import filters

CENSORED_HELP = (
    "Open and frowning cases have not smiled (yet): Kaplan-Meier treats them as "
    "censored at their elapsed hours. They are neither dropped nor counted as smiles."
)
PERSPECTIVE = "Perspective: customer."


def _hours(value: float | None) -> str:
    return "Not reached" if value is None else f"{value:,.1f}"


def _headline(start: dt.date, end_excl: dt.date, chosen: data.CaseFilters) -> dict[str, int]:
    km = data.time_to_smile_km(start, end_excl, chosen)
    counts = data.smile_status_counts(start, end_excl, chosen)
    cols = st.columns(6)
    cols[0].metric(
        "Median Time to Smile (hours)",
        _hours(km["median_hours"]),
        help="Kaplan-Meier median of the hours from `started_at` to the last solve "
        f"of a case that was not rated bad. {CENSORED_HELP} {PERSPECTIVE}",
    )
    cols[1].metric(
        "p90 Time to Smile (hours)",
        _hours(km["p90_hours"]),
        help="Kaplan-Meier 90th percentile: 9 in 10 customers smiled within this many "
        f"hours. 'Not reached' when too many cases are still censored. {PERSPECTIVE}",
    )
    cols[2].metric(
        "Cases started",
        f"{counts['n_cases']:,}",
        help=f"Cases whose `started_at` falls in the period: the sample size. {PERSPECTIVE}",
    )
    cols[3].metric(
        "Smiling",
        f"{counts['smiling']:,}",
        help=f"Solved or closed without a bad rating: Kaplan-Meier events. {PERSPECTIVE}",
    )
    cols[4].metric(
        "Still open",
        f"{counts['open']:,}",
        help=f"New, open, pending or on hold. Censored at their hours so far. {PERSPECTIVE}",
    )
    cols[5].metric(
        "Frowning",
        f"{counts['frowning']:,}",
        help="Solved or closed, but the latest satisfaction rating is bad. Censored: "
        f"the customer did not smile. {PERSPECTIVE}",
    )
    return counts


def _phase_chart(start: dt.date, end_excl: dt.date, chosen: data.CaseFilters) -> None:
    st.subheader("Where the time goes")
    phases = data.phase_hours(start, end_excl, chosen)
    st.caption(
        "The mean case's journey, phase by phase (calendar hours; open cases count up to "
        "the as-of time). Each group can meet its own target while the customer waits "
        "for the sum."
    )
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=[*phases["label"], "Mean elapsed per case"],
            x=[*phases["mean_hours"], 0.0],
            measure=["relative"] * len(phases) + ["total"],
            text=[f"+{v:,.1f} h" for v in phases["mean_hours"]]
            + [f"{phases['mean_hours'].sum():,.1f} h"],
            textposition="outside",
            customdata=[
                [t, s] for t, s in zip(phases["total_hours"], phases["share"], strict=True)
            ]
            + [[phases["total_hours"].sum(), 1.0]],
            hovertemplate="%{y}<br>mean %{x:,.1f} h per case"
            "<br>total %{customdata[0]:,.0f} h (%{customdata[1]:.0%})<extra></extra>",
            connector={"line": {"color": "rgba(120,120,120,0.4)"}},
        )
    )
    fig.update_layout(
        height=360,
        margin={"l": 10, "r": 40, "t": 10, "b": 10},
        xaxis_title="Mean hours per case",
        yaxis={"autorange": "reversed"},
        showlegend=False,
    )
    left, right = st.columns([3, 2])
    left.plotly_chart(fig, width="stretch")
    right.dataframe(
        phases[["label", "total_hours", "mean_hours", "share"]],
        hide_index=True,
        column_config={
            "label": st.column_config.TextColumn("Phase"),
            "total_hours": st.column_config.NumberColumn("Total hours", format="%.1f"),
            "mean_hours": st.column_config.NumberColumn("Mean hours per case", format="%.1f"),
            "share": st.column_config.ProgressColumn(
                "Share of time", format="percent", min_value=0.0, max_value=1.0
            ),
        },
    )


def _case_list(start: dt.date, end_excl: dt.date, n_cases: int, chosen: data.CaseFilters) -> None:
    st.subheader("The cases behind it")
    cases = data.case_list(start, end_excl, filters=chosen)
    if n_cases > len(cases):
        st.caption(
            f"Showing the {len(cases):,} longest of {n_cases:,} cases (by elapsed hours)."
        )
    else:
        st.caption(f"All {n_cases:,} cases, longest elapsed first.")
    hours = {
        f"{p}_hours": st.column_config.NumberColumn(f"{label} (h)", format="%.1f")
        for p, label in data.PHASES
    }
    st.dataframe(
        cases,
        hide_index=True,
        column_config={
            "case_id": st.column_config.NumberColumn("Case", format="%d"),
            "started_at": st.column_config.DatetimeColumn(
                "Started (UTC)", format="YYYY-MM-DD HH:mm"
            ),
            "smile_status": st.column_config.TextColumn("Status"),
            "time_to_smile_hours": st.column_config.NumberColumn(
                "Time to Smile (h)", format="%.1f"
            ),
            "elapsed_hours": st.column_config.NumberColumn("Elapsed (h)", format="%.1f"),
            **hours,
            "handoff_count": st.column_config.NumberColumn("Handoffs", format="%d"),
            "reopen_count": st.column_config.NumberColumn("Reopens", format="%d"),
            "channel": st.column_config.TextColumn("Channel"),
            "priority": st.column_config.TextColumn("Priority"),
        },
    )


def _footer(publication: dict) -> None:
    def fmt(ts: dt.datetime | None) -> str:
        return "unknown" if ts is None else f"{ts:%Y-%m-%d %H:%M} UTC"

    st.caption(
        f"Published {fmt(publication['published_at'])} · data as of "
        f"{fmt(publication['as_of'])} · run {publication['run_id'] or 'unknown'}"
    )


def render() -> None:
    st.title("Time to Smile")
    st.caption(
        "Customer-centric: the hours from when the customer's use of the product was "
        "interrupted to when they are happy again."
    )
    if not data.is_published():
        st.info(data.not_published_message())
        return
    try:
        publication = data.publication()
        lo, hi = data.started_at_bounds()
        if lo is None or hi is None:
            st.info("The current publication holds no cases yet. Run `smile run` after "
                    "new helpdesk data arrives.")
            _footer(publication)
            return
        chosen = filters.case_filters()
        first_day, last_day = filters.period(publication["as_of"], lo, hi)
        end_excl = last_day + dt.timedelta(days=1)
        counts = _headline(first_day, end_excl, chosen)
        if counts["n_cases"] == 0:
            st.info("No case started in this period: pick a wider date range or fewer filters.")
        else:
            _phase_chart(first_day, end_excl, chosen)
            _case_list(first_day, end_excl, counts["n_cases"], chosen)
        _footer(publication)
    except data.ServingNotPublished:  # removed between the check and the query
        st.info(data.not_published_message())


render()
