"""Lifecycle: how fast accounts move through their stages, how often they go round again,
and how long customers wait to smile, and what they say, in each stage."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import cases
import charts
from time_to_smile import metric_formats as formats
import metric_marts
import page


def velocity_heatmap(velocity: pd.DataFrame, stages: list[str]) -> None:
    """Median days per stage and cohort month. A cell resting on fewer than MIN_SAMPLE visits is
    drawn faded, and the colour scale stops at the 90th percentile, so that one slow cohort does
    not wash every other cell out to white."""
    grid = velocity.pivot(index="stage", columns="cohort_month", values="median_days").reindex(
        [s for s in stages if s in set(velocity["stage"])])
    visits = velocity.pivot(index="stage", columns="cohort_month", values="visits").reindex(grid.index)
    months = [pd.Timestamp(m).strftime("%Y-%m") for m in grid.columns]
    enough = visits >= formats.MIN_SAMPLE
    top = float(grid.stack().quantile(0.9)) if grid.notna().any().any() else None
    scale = {"x": months, "y": list(grid.index), "colorscale": "YlGnBu", "zmin": 0, "zmax": top,
             "customdata": visits.values, "hoverongaps": False}
    fig = go.Figure([
        go.Heatmap(z=grid.where(~enough).values, opacity=0.35, showscale=False, **scale,
                   hovertemplate="%{y}, cohort %{x}: median %{z:,.1f} days from %{customdata} visits, fewer than "
                                 f"{formats.MIN_SAMPLE}: too few to read<extra></extra>"),
        go.Heatmap(z=grid.where(enough).values, colorbar={"title": {"text": "median days"}}, **scale,
                   hovertemplate="%{y}, cohort %{x}: median %{z:,.1f} days (%{customdata} visits)<extra></extra>"),
    ])
    fig.update_layout(height=max(240, 45 * len(grid.index)), margin=charts.MARGINS,
                      xaxis_title="Cohort (month of the account's first visit)", yaxis_title="Stage")
    st.plotly_chart(fig, width="stretch")
    thin = visits.notna() & ~enough
    st.caption(f"Faded: {int(thin.sum().sum()):,} of {int(visits.notna().sum().sum()):,} cells rest on fewer than "
               f"{formats.MIN_SAMPLE} visits, too few to read on their own. The colours stop at the 90th percentile"
               + (f", {top:,.0f} days: darker cells may be longer." if top is not None else "."))


def cycles_chart(cycles: pd.DataFrame) -> None:
    months = [pd.Timestamp(m).strftime("%Y-%m") for m in cycles["cohort_month"]]
    fig = go.Figure([
        go.Bar(x=months, y=cycles["accounts"] - cycles["cycled_back"], name="one pass", marker_color="rgb(158,202,225)"),
        go.Bar(x=months, y=cycles["cycled_back"], name="came back round", marker_color="rgb(8,81,156)",
               customdata=cycles["mean_cycles"], hovertemplate="%{x}: %{y} accounts cycled back"
                                                              " (%{customdata:.2f} cycles per account)<extra></extra>"),
    ])
    fig.update_layout(barmode="stack", height=280, margin=charts.MARGINS, yaxis_title="Accounts",
                      xaxis_title="Cohort (month of the account's first visit)", legend={"orientation": "h", "y": -0.35})
    st.plotly_chart(fig, width="stretch")


def time_to_smile_by_stage(view: page.View, stages: list[str]) -> None:
    case_stages = cases.filter_options()["stage"]  # a case's stage may be one no account has visited since
    chosen_stages = view.filters.get("stage") or (*[s for s in stages if s in case_stages],
                                                  *[s for s in case_stages if s not in stages])
    rows = []
    for stage in chosen_stages:
        km = cases.time_to_smile_km(view.first_day, view.end, {**view.filters, "stage": (stage,)})
        rows.append({"stage": stage, **km})
    table = pd.DataFrame(rows)
    enough = table["n_cases"] >= formats.MIN_SAMPLE
    # each stage's n beneath its name; a stage with too few cases keeps its place, its bar left out
    names = [f"{s}<br>n = {n:,}" for s, n in zip(table["stage"], table["n_cases"], strict=True)]
    labels = [formats.tile_value("hours", v, n) for v, n in zip(table["median_hours"], table["n_cases"], strict=True)]
    fig = go.Figure([
        go.Bar(x=names, y=table["median_hours"].where(enough).fillna(0), name="median",
               marker_color="rgb(31,119,180)",
               text=labels, textposition="outside", cliponaxis=False,
               customdata=table[["n_cases", "n_censored"]],
               hovertemplate="%{x}: median %{y:,.1f} h<br>%{customdata[0]} cases, %{customdata[1]} not smiling yet"
                             "<extra></extra>"),
        go.Scatter(x=names, y=table["p90_hours"].where(enough), name="p90", mode="markers",
                   marker={"symbol": "line-ew-open", "size": 28, "color": "rgb(214,39,40)"},
                   hovertemplate="%{x}: p90 %{y:,.1f} h<extra></extra>"),
    ])
    fig.update_layout(height=320, margin={**charts.MARGINS, "t": 30}, yaxis_title="Hours to smile (Kaplan-Meier)",
                      xaxis_title="The account's stage when the case started", showlegend=False)
    st.plotly_chart(fig, width="stretch")
    st.caption(f"Bars: the median; red ticks: the p90. A stage with fewer than {formats.MIN_SAMPLE} cases shows no "
               "bar, only why: too few to read, or none.")


def body(view: page.View) -> None:
    stages = metric_marts.stage_order()
    velocity = metric_marts.stage_velocity()
    page.heading("Stage velocity by cohort", "stage_velocity_median_days",
                 scope="median days in each stage; the whole company (the mart is not cut by filters)")
    if velocity.empty:
        st.caption("No lifecycle stage change recorded yet.")
    else:
        velocity_heatmap(velocity, stages)
        page.heading("Cycles", "lifecycle_cycles", scope="accounts of each cohort that came back round the lifecycle")
        cycles_chart(metric_marts.lifecycle_cycles())
    page.heading("Time to Smile by stage", "time_to_smile_median_hours",
                 scope="the period's cases by the account's stage when the case started, with the filters")
    time_to_smile_by_stage(view, stages)
    segments = view.filters.get("segment") or ()
    segment = segments[0] if len(segments) == 1 else "All"
    page.heading("Sentiment by stage", "positive_comments_per_case",
                 scope=f"all published comments; {'segment ' + segment if segment != 'All' else 'the whole company'}")
    charts.sentiment_by_stage(metric_marts.sentiment_by_stage(segment))


page.show("Lifecycle", "Accounts live through stages (searching, buying, implementing, using): how long each takes, "
          "how often they go round again, and what support feels like at each.", body)
