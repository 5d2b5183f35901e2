"""Figures more than one page draws."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from time_to_smile import metric_formats as formats

MARGINS = {"l": 10, "r": 10, "t": 10, "b": 10}


def error_bars(value: pd.Series, lower: pd.Series, upper: pd.Series) -> dict:
    """Plotly error bars drawing the interval [lower, upper] around ``value`` (missing bounds draw none)."""
    return {"type": "data", "symmetric": False, "array": (upper - value).fillna(0), "arrayminus": (value - lower).fillna(0)}


def sentiment_by_stage(stages: pd.DataFrame) -> None:
    """Positive and negative comments per case in each lifecycle stage, with their 90% intervals.
    Each stage's cases are written beneath its name; a stage with too few cases draws no bars."""
    if stages.empty:
        st.caption("No customer comment yet.")
        return
    enough = stages["cases"] >= formats.MIN_SAMPLE
    names = [f"{s}<br>n = {formats.counted(n, 'cases')}" for s, n in zip(stages["lifecycle_stage"], stages["cases"], strict=True)]
    fig = go.Figure([
        go.Bar(x=names, y=stages[f"{tone}_comments_per_case"].where(enough), name=f"{tone} per case",
               marker_color=colour, customdata=stages[["cases", "comments"]],
               error_y=error_bars(stages[f"{tone}_comments_per_case"], stages[f"{tone}_per_case_ci_lower"],
                                  stages[f"{tone}_per_case_ci_upper"]),
               hovertemplate="%{x}: %{y:.2f} " + tone + " comments per case<br>%{customdata[0]} cases,"
                             " %{customdata[1]} comments<extra></extra>")
        for tone, colour in (("positive", "rgb(44,160,44)"), ("negative", "rgb(214,39,40)"))
    ])
    fig.update_layout(barmode="group", height=320, margin=MARGINS, yaxis_title="Comments per case",
                      xaxis_title="The account's stage when the case started", legend={"orientation": "h", "y": -0.35})
    st.plotly_chart(fig, width="stretch")
    if not enough.all():
        st.caption(f"Stages with fewer than {formats.MIN_SAMPLE} cases draw no bars: too few to read.")


WEEK_MS = 7 * 24 * 3600 * 1000


def week_axis(weeks: pd.Series, most_ticks: int = 8) -> dict:
    """An x axis of ISO weeks with its ticks on Mondays (Plotly's own fall on Sundays), one every
    week, or every few weeks so that at most ``most_ticks`` are written."""
    mondays = sorted(set(pd.to_datetime(weeks)))
    every = max(1, -(-len(mondays) // most_ticks))
    ticks = {"tick0": mondays[0], "dtick": every * WEEK_MS} if mondays else {}
    return {"type": "date", "tickformat": "%d %b", "title": "Week (Monday)", **ticks}


def time_to_smile_trend(weekly: pd.DataFrame, height: int = 320) -> None:
    """Weekly Time to Smile: the median with its 90% interval as a band, and the p90. A week whose
    interval has an open end (too many cases still waiting) leaves a gap in the band, not a dip."""
    median = weekly[weekly["metric"] == "time_to_smile_median_hours"]
    p90 = weekly[weekly["metric"] == "time_to_smile_p90_hours"]
    bounded = median["ci_lower"].notna() & median["ci_upper"].notna()
    fig = go.Figure([
        # the interval as a band: upper bound first, then the lower one filled up to it
        go.Scatter(x=median["week_start"], y=median["ci_upper"].where(bounded), mode="lines", line={"width": 0},
                   hoverinfo="skip", showlegend=False),
        go.Scatter(x=median["week_start"], y=median["ci_lower"].where(bounded), mode="lines", line={"width": 0},
                   fill="tonexty", fillcolor="rgba(31,119,180,0.18)", name="median, 90% interval", hoverinfo="skip"),
        go.Scatter(x=median["week_start"], y=median["value"], mode="lines+markers", name="median",
                   line={"color": "rgb(31,119,180)"}, customdata=median[["ci_lower", "ci_upper", "n"]],
                   hovertemplate="week of %{x|%Y-%m-%d}: median %{y:,.1f} h<br>90%: %{customdata[0]:,.1f} to "
                                 "%{customdata[1]:,.1f} h, n = %{customdata[2]} cases<extra></extra>"),
        go.Scatter(x=p90["week_start"], y=p90["value"], mode="lines+markers", name="p90",
                   line={"color": "rgb(214,39,40)", "dash": "dot"}, customdata=p90[["n"]],
                   hovertemplate="week of %{x|%Y-%m-%d}: p90 %{y:,.1f} h, n = %{customdata[0]} cases<extra></extra>"),
    ])
    fig.update_layout(height=height, margin=MARGINS, yaxis_title="Hours to smile (Kaplan-Meier)",
                      xaxis=week_axis(weekly["week_start"]), legend={"orientation": "h", "y": -0.25})
    st.plotly_chart(fig, width="stretch")
    unreached = p90[p90["value"].isna() & (p90["n"] > 0)]
    if not unreached.empty:
        weeks = ", ".join(f"{pd.Timestamp(w):%d %b}" for w in unreached["week_start"])
        st.caption(f"No p90 point for the week of {weeks}: more than one in ten of its cases has not smiled yet.")
