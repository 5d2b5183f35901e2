"""Voice of the customer: CSAT and NPS with their uncertainty, sentiment by lifecycle stage,
and what customers wrote lately (redacted excerpts)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

import charts
import data
import page
from filters import monday

TITLES = {"csat": "CSAT (share of good ratings)", "nps": "NPS"}


def _trend(weekly, metric: str, scope: str) -> None:
    rows = weekly[weekly["metric"] == metric]
    page.heading(TITLES[metric], metric, scope=f"{scope}; by the week given, with 90% intervals")
    if rows.empty:
        st.caption("No responses yet.")
        return
    # the 90% interval as error bars: honest for a week with a single response too
    fig = go.Figure(go.Scatter(
        x=rows["week_start"], y=rows["value"], mode="lines+markers", name=TITLES[metric],
        error_y=charts.error_bars(rows["value"], rows["ci_lower"], rows["ci_upper"]),
        customdata=rows[["n", "ci_lower", "ci_upper"]],
        hovertemplate="week of %{x|%Y-%m-%d}<br>%{y:.2f} (90%: %{customdata[1]:.2f} to %{customdata[2]:.2f},"
                      " n = %{customdata[0]})<extra></extra>",
    ))
    fig.update_layout(height=280, margin=charts.MARGINS, showlegend=False,
                      xaxis={"type": "date", "tickformat": "%b %d"})
    st.plotly_chart(fig, width="stretch")


def body(view: page.View) -> None:
    where = data.metric_slice(view.filters, dimensions=("segment",))
    segment = where.params[0]
    scope = where.label + ("" if where.complete else " (ratings, surveys and comments are cut by one segment only)")
    weekly = data.weekly_metrics(("csat", "nps"), where, monday(view.first_day), view.end)  # the weeks the period touches
    left, right = st.columns(2)
    with left:
        _trend(weekly, "csat", scope)
    with right:
        _trend(weekly, "nps", scope)
    page.heading("Sentiment by lifecycle stage", "negative_comments_per_case", scope=scope)
    charts.sentiment_by_stage(data.sentiment_by_stage(segment))
    page.heading("What customers wrote lately", perspective="customer",
                 scope=f"{scope}; excerpts of the last 90 days, emails, phone and card numbers redacted (docs/privacy.md)")
    st.dataframe(data.recent_comments(segment), hide_index=True, column_config={
        "commented_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
        "segment": "Segment", "lifecycle_stage": "Stage", "sentiment": "Sentiment",
        "excerpt": st.column_config.TextColumn("Excerpt", width="large")})


page.show("Voice of the customer", "What customers say: ratings, surveys and the tone of their comments, stage by stage.", body)
