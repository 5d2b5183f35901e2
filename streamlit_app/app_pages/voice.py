"""Voice of the customer: CSAT and NPS with their uncertainty, sentiment by lifecycle stage,
and what customers wrote lately (redacted excerpts)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

import data
import filters

TITLES = {"csat": "CSAT (share of good ratings)", "nps": "NPS"}


def _trend(weekly, metric: str) -> None:
    rows = weekly[weekly["metric"] == metric]
    st.markdown(f"**{TITLES[metric]}**", help=data.metric_definition(metric))
    if rows.empty:
        st.caption("No responses yet.")
        return
    # the 90% interval as error bars: honest for a week with a single response too
    fig = go.Figure(go.Scatter(
        x=rows["week_start"], y=rows["value"], mode="lines+markers", name=TITLES[metric],
        error_y={"type": "data", "symmetric": False, "array": rows["ci_upper"] - rows["value"],
                 "arrayminus": rows["value"] - rows["ci_lower"]},
        customdata=rows[["n", "ci_lower", "ci_upper"]],
        hovertemplate="week of %{x|%Y-%m-%d}<br>%{y:.2f} (90%: %{customdata[1]:.2f} to %{customdata[2]:.2f},"
                      " n = %{customdata[0]})<extra></extra>",
    ))
    fig.update_layout(height=280, margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False,
                      xaxis={"type": "date", "tickformat": "%b %d"})
    st.plotly_chart(fig, width="stretch")


def render() -> None:
    st.title("Voice of the customer")
    st.caption("What customers say: ratings, surveys and the tone of their comments, stage by stage.")
    if not data.is_published():
        st.info(data.not_published_message())
        return
    chosen = filters.case_filters()
    segments = chosen.get("segment") or ()
    segment = segments[0] if len(segments) == 1 else "All"
    if len(segments) > 1:
        st.caption("Several segments are chosen: showing the whole company.")
    weekly = data.voice_weekly(segment)
    left, right = st.columns(2)
    with left:
        _trend(weekly, "csat")
    with right:
        _trend(weekly, "nps")
    st.subheader("Sentiment by lifecycle stage")
    stages = data.sentiment_by_stage(segment)
    if stages.empty:
        st.caption("No customer comment yet.")
    else:
        fig = go.Figure([
            go.Bar(x=stages["lifecycle_stage"], y=stages["positive_comments_per_case"], name="positive per case"),
            go.Bar(x=stages["lifecycle_stage"], y=stages["negative_comments_per_case"], name="negative per case"),
        ])
        fig.update_layout(barmode="group", height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10})
        st.plotly_chart(fig, width="stretch")
    st.subheader("What customers wrote lately")
    st.caption("Excerpts of the last 90 days; emails, phone numbers and card numbers are redacted (docs/privacy.md).")
    st.dataframe(data.recent_comments(segment), hide_index=True, column_config={
        "commented_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
        "segment": "Segment", "lifecycle_stage": "Stage", "sentiment": "Sentiment",
        "excerpt": st.column_config.TextColumn("Excerpt", width="large")})


render()
