"""Where the time goes: how long the period's customers waited to be happy again, which phases
and holders that time went to, and a single case's timeline."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

import cases
import charts
from time_to_smile import metric_formats as formats
import holders
import page

CENSORED_HELP = (
    "Open and frowning cases have not smiled (yet): Kaplan-Meier treats them as "
    "censored at their elapsed hours. They are neither dropped nor counted as smiles."
)
PERSPECTIVE = "Perspective: customer."


def _hours(value: float | None, n: int) -> str:
    """A Kaplan-Meier quantile in hours; "too few" (or "none") under the minimum sample (formats.MIN_SAMPLE)."""
    if formats.too_few(n):
        return formats.tile_value("hours", value, n)
    return "Not reached" if value is None else f"{value:,.1f}"


def _headline(start: dt.date, end_excl: dt.date, chosen: cases.CaseFilters) -> dict[str, int]:
    km = cases.time_to_smile_km(start, end_excl, chosen)
    counts = cases.smile_status_counts(start, end_excl, chosen)
    # two rows of three: six tiles in a row cut their labels short ("Median Time to S...")
    cols = [*st.columns(3), *st.columns(3)]
    cols[0].metric(
        "Median Time to Smile (hours)",
        _hours(km["median_hours"], km["n_cases"]),
        help="Kaplan-Meier median of the hours from `started_at` to the last solve "
        f"of a case that was not rated bad. {CENSORED_HELP} {PERSPECTIVE}",
    )
    cols[1].metric(
        "p90 Time to Smile (hours)",
        _hours(km["p90_hours"], km["n_cases"]),
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


def _phase_chart(start: dt.date, end_excl: dt.date, chosen: cases.CaseFilters) -> None:
    page.heading("Where the time goes", perspective="customer", scope="the period's cases, with the filters")
    phases = cases.phase_hours(start, end_excl, chosen)
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
        yaxis={"autorange": "reversed", "title": "Phase"},
        showlegend=False,
    )
    # room on the right for the labels printed outside the bars ("+4.2 h", the total)
    fig.update_xaxes(range=[0, max(float(phases["mean_hours"].sum()), 1.0) * 1.2])
    st.plotly_chart(fig, width="stretch")
    st.dataframe(
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


def _holders_chart(start: dt.date, end_excl: dt.date, chosen: cases.CaseFilters) -> None:
    page.heading("Who held the time", perspective="customer",
                 scope="calendar hours of the period's cases by holder: support tiers, engineering projects, the customer")
    held = holders.holder_hours(start, end_excl, chosen)
    held["phase"] = held["phase"].map(cases.PHASE_LABELS).fillna(held["phase"])
    fig = px.bar(held, x="hours", y="holder", color="phase", orientation="h",
                 category_orders={"phase": [label for _, label in cases.PHASES], "holder": list(dict.fromkeys(held["holder"]))},
                 hover_data={"cases": True, "hours": ":,.0f"}, labels={"hours": "Calendar hours", "holder": "Held by", "phase": "Phase"})
    fig.update_layout(height=max(240, 34 * held["holder"].nunique()), margin=charts.MARGINS)
    st.plotly_chart(fig, width="stretch")


#: What the Time to Smile column says for a case that has not smiled, by smile_status.
NOT_SMILED = {"open": "not yet (open)", "frowning": "not yet (rated bad)"}


def _time_to_smile_words(listed: pd.DataFrame) -> list[str]:
    """Each case's Time to Smile in words: the hours once it smiled, otherwise why not (never None)."""
    return [
        f"{hours:,.1f}" if status == "smiling" and not pd.isna(hours) else NOT_SMILED.get(status, f"not yet ({status})")
        for status, hours in zip(listed["smile_status"], listed["time_to_smile_hours"], strict=True)
    ]


def _case_list(start: dt.date, end_excl: dt.date, n_cases: int, chosen: cases.CaseFilters) -> pd.DataFrame:
    page.heading("The cases behind it", perspective="customer")
    listed = cases.case_list(start, end_excl, filters=chosen)
    if n_cases > len(listed):
        st.caption(
            f"Showing the {len(listed):,} longest of {n_cases:,} cases (by elapsed hours)."
        )
    else:
        st.caption(f"All {n_cases:,} cases, longest elapsed first.")
    hours = {
        f"{p}_hours": st.column_config.NumberColumn(f"{label} (h)", format="%.1f")
        for p, label in cases.PHASES
    }
    shown = listed.drop(columns="time_to_smile_hours").assign(time_to_smile=_time_to_smile_words(listed))
    st.dataframe(
        shown,
        hide_index=True,
        column_order=["case_id", "started_at", "account_name", "smile_status", "time_to_smile", "elapsed_hours",
                      *hours, "handoff_count", "reopen_count", "channel", "priority"],
        column_config={
            "case_id": st.column_config.NumberColumn("Case", format="%d"),
            "started_at": st.column_config.DatetimeColumn(
                "Started (UTC)", format="YYYY-MM-DD HH:mm"
            ),
            "account_name": st.column_config.TextColumn("Account"),
            "smile_status": st.column_config.TextColumn("Status"),
            "time_to_smile": st.column_config.TextColumn(
                "Time to Smile (h)",
                help="Hours until the customer smiled; an open or frowning case has not smiled (yet): "
                "its hours so far are under Elapsed.",
            ),
            "elapsed_hours": st.column_config.NumberColumn("Elapsed (h)", format="%.1f"),
            **hours,
            "handoff_count": st.column_config.NumberColumn("Handoffs", format="%d"),
            "reopen_count": st.column_config.NumberColumn("Reopens", format="%d"),
            "channel": st.column_config.TextColumn("Channel"),
            "priority": st.column_config.TextColumn("Priority"),
        },
    )
    return listed


def _case_timeline(listed: pd.DataFrame) -> None:
    page.heading("One case's timeline", perspective="customer",
                 scope="who held the case in each phase: support tiers, engineering projects, the customer")
    case_id = st.selectbox("Case", listed["case_id"], key="timeline_case",
                           help="The period's cases, longest elapsed first (the list above).")
    segments = holders.case_timeline(int(case_id))
    if segments.empty:
        st.caption("This case has no journey segment.")
        return
    segments["phase"] = segments["phase"].map(cases.PHASE_LABELS).fillna(segments["phase"])
    fig = px.timeline(segments, x_start="segment_start", x_end="segment_end", y="holder", color="phase",
                      category_orders={"phase": [label for _, label in cases.PHASES]},
                      hover_data={"calendar_hours": ":,.1f", "business_hours": ":,.1f"},
                      labels={"holder": "Held by", "phase": "Phase"})
    fig.update_layout(height=max(220, 50 * segments["holder"].nunique()), margin=charts.MARGINS)
    st.plotly_chart(fig, width="stretch")


def body(view: page.View) -> None:
    counts = _headline(view.first_day, view.end, view.filters)
    if counts["n_cases"] == 0:
        st.info("No case started in this period: pick a wider date range or fewer filters.")
        return
    _phase_chart(view.first_day, view.end, view.filters)
    _holders_chart(view.first_day, view.end, view.filters)
    _case_timeline(_case_list(view.first_day, view.end, counts["n_cases"], view.filters))


page.show("Where the time goes", "Customer-centric: the hours from when the customer's use of the product was "
          "interrupted to when they are happy again, phase by phase.", body)
