"""Figures more than one page draws."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

MARGINS = {"l": 10, "r": 10, "t": 10, "b": 10}


def error_bars(value: pd.Series, lower: pd.Series, upper: pd.Series) -> dict:
    """Plotly error bars drawing the interval [lower, upper] around ``value`` (missing bounds draw none)."""
    return {"type": "data", "symmetric": False, "array": (upper - value).fillna(0), "arrayminus": (value - lower).fillna(0)}


def sentiment_by_stage(stages: pd.DataFrame) -> None:
    """Positive and negative comments per case in each lifecycle stage, with their 90% intervals."""
    if stages.empty:
        st.caption("No customer comment yet.")
        return
    fig = go.Figure([
        go.Bar(x=stages["lifecycle_stage"], y=stages[f"{tone}_comments_per_case"], name=f"{tone} per case",
               marker_color=colour, customdata=stages[["cases", "comments"]],
               error_y=error_bars(stages[f"{tone}_comments_per_case"], stages[f"{tone}_per_case_ci_lower"],
                                  stages[f"{tone}_per_case_ci_upper"]),
               hovertemplate="%{x}: %{y:.2f} " + tone + " comments per case<br>%{customdata[0]} cases,"
                             " %{customdata[1]} comments<extra></extra>")
        for tone, colour in (("positive", "rgb(44,160,44)"), ("negative", "rgb(214,39,40)"))
    ])
    fig.update_layout(barmode="group", height=300, margin=MARGINS, yaxis_title="Comments per case")
    st.plotly_chart(fig, width="stretch")


def time_to_smile_trend(weekly: pd.DataFrame, height: int = 320) -> None:
    """Weekly Time to Smile: the median with its 90% interval as a band, and the p90."""
    median = weekly[weekly["metric"] == "time_to_smile_median_hours"]
    p90 = weekly[weekly["metric"] == "time_to_smile_p90_hours"]
    fig = go.Figure([
        # the interval as a band: upper bound first, then the lower one filled up to it
        go.Scatter(x=median["week_start"], y=median["ci_upper"], mode="lines", line={"width": 0},
                   hoverinfo="skip", showlegend=False),
        go.Scatter(x=median["week_start"], y=median["ci_lower"], mode="lines", line={"width": 0}, fill="tonexty",
                   fillcolor="rgba(31,119,180,0.18)", name="median, 90% interval", hoverinfo="skip"),
        go.Scatter(x=median["week_start"], y=median["value"], mode="lines+markers", name="median",
                   line={"color": "rgb(31,119,180)"}, customdata=median[["ci_lower", "ci_upper", "n"]],
                   hovertemplate="week of %{x|%Y-%m-%d}: median %{y:,.1f} h<br>90%: %{customdata[0]:,.1f} to "
                                 "%{customdata[1]:,.1f} h, n = %{customdata[2]}<extra></extra>"),
        go.Scatter(x=p90["week_start"], y=p90["value"], mode="lines+markers", name="p90",
                   line={"color": "rgb(214,39,40)", "dash": "dot"},
                   hovertemplate="week of %{x|%Y-%m-%d}: p90 %{y:,.1f} h<extra></extra>"),
    ])
    fig.update_layout(height=height, margin=MARGINS, yaxis_title="Hours",
                      xaxis={"type": "date", "tickformat": "%b %d"}, legend={"orientation": "h", "y": -0.15})
    st.plotly_chart(fig, width="stretch")
