"""Voice of the customer: CSAT and NPS with their uncertainty, sentiment by lifecycle stage,
and what customers wrote lately (redacted excerpts)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

import charts
from time_to_smile import metric_formats as formats
import metric_marts
import page
from filters import monday

TITLES = {"csat": "CSAT (share of good ratings)", "nps": "NPS"}
#: How each score reads on its axis and in its hover: CSAT a percentage like every other rate, NPS -100..100.
AXES = {"csat": ({"title": "Good ratings", "tickformat": ".0%", "range": [0, 1.05]}, ".0%", "ratings"),
        "nps": ({"title": "NPS (promoters - detractors)", "range": [-105, 105]}, "+.0f", "responses")}


def _trend(weekly, metric: str, scope: str) -> None:
    rows = weekly[weekly["metric"] == metric]
    page.heading(TITLES[metric], metric, scope=f"{scope}; by the week given, with 90% intervals")
    if rows.empty:
        st.caption("No responses yet.")
        return
    axis, number, noun = AXES[metric]
    enough = rows["n"] >= formats.MIN_SAMPLE
    # the 90% interval as error bars: honest for a week with a single response too; a week with too
    # few responses is a hollow grey point
    fig = go.Figure(go.Scatter(
        x=rows["week_start"], y=rows["value"], mode="lines+markers", name=TITLES[metric],
        line={"color": "rgb(31,119,180)"},
        marker={"size": 8, "color": ["rgb(31,119,180)" if ok else "rgb(255,255,255)" for ok in enough],
                "line": {"width": 1.5, "color": ["rgb(31,119,180)" if ok else "rgb(160,160,160)" for ok in enough]}},
        error_y=charts.error_bars(rows["value"], rows["ci_lower"], rows["ci_upper"]),
        customdata=rows[["n", "ci_lower", "ci_upper"]],
        hovertemplate=f"week of %{{x|%Y-%m-%d}}<br>%{{y:{number}}} (90%: %{{customdata[1]:{number}}} to "
                      f"%{{customdata[2]:{number}}}, n = %{{customdata[0]}} {noun})<extra></extra>",
    ))
    fig.update_layout(height=300, margin=charts.MARGINS, showlegend=False, yaxis=axis,
                      xaxis=charts.week_axis(rows["week_start"]))
    st.plotly_chart(fig, width="stretch")
    st.caption(f"{int(rows['n'].sum()):,} {noun} in these weeks; hollow points: weeks with fewer than "
               f"{formats.MIN_SAMPLE}, too few to read.")


def body(view: page.View) -> None:
    where = metric_marts.metric_slice(view.filters, dimensions=("segment",))
    segment = where.params[0]
    scope = where.label + ("" if where.complete else " (ratings, surveys and comments are cut by one segment only)")
    weekly = metric_marts.weekly_metrics(("csat", "nps"), where, monday(view.first_day), view.end)  # the weeks the period touches
    left, right = st.columns(2)
    with left:
        _trend(weekly, "csat", scope)
    with right:
        _trend(weekly, "nps", scope)
    page.heading("Sentiment by lifecycle stage", "negative_comments_per_case", scope=scope)
    charts.sentiment_by_stage(metric_marts.sentiment_by_stage(segment))
    page.heading("What customers wrote lately", perspective="customer",
                 scope=f"{scope}; excerpts of the last 90 days, emails, phone and card numbers redacted (docs/privacy.md)")
    st.dataframe(metric_marts.recent_comments(segment), hide_index=True, column_config={
        "commented_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
        "segment": "Segment", "lifecycle_stage": "Stage", "sentiment": "Sentiment",
        "excerpt": st.column_config.TextColumn("Excerpt", width="large")})


page.show("Voice of the customer", "What customers say: ratings, surveys and the tone of their comments, stage by stage.", body)
