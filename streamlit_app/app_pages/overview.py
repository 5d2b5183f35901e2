"""Overview: how long customers wait to smile, week by week, beside the numbers the company
usually reports, so that each group's green targets are seen next to the customer's wait."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import charts
from time_to_smile import metric_formats as formats
import metric_marts
import page
import weeks
from filters import monday

#: Internal target attainment at or above this share of stints is shown green, as a group's dashboard would.
ATTAINMENT_GREEN = 0.8
CUSTOMER_SIDE = ("time_to_smile_median_hours", "handoffs_per_case", "first_contact_resolution_rate", "reopen_rate")
COMPANY_SIDE = ("first_reply_hours_median", "first_reply_target_attainment", "internal_target_attainment", "handoff_context_rate")


def value_at(weekly: pd.DataFrame, metric: str, week: dt.date) -> pd.Series | None:
    rows = weekly[(weekly["metric"] == metric) & (pd.to_datetime(weekly["week_start"]).dt.date == week)]
    return None if rows.empty else rows.iloc[0]


def metric_tile(column, weekly: pd.DataFrame, metric: str, week: dt.date) -> None:
    """One metric's tile: this week's value, its change against last week, and its n beneath."""
    this, last = value_at(weekly, metric, week), value_at(weekly, metric, week - dt.timedelta(weeks=1))
    unit, value, n = (None, None, 0) if this is None else (this["unit"], this["value"], this["n"])
    interval = "" if this is None else f" 90% interval: {formats.interval(unit, this['ci_lower'], this['ci_upper']) or 'none'}."
    shown = formats.tile_value(unit, value, n)
    column.metric(formats.label(metric), shown,
                  None if formats.too_few(n) else formats.change(unit, value, None if last is None else last["value"]),
                  delta_color="inverse" if metric in formats.LOWER_IS_BETTER else "normal",
                  help=f"{metric_marts.metric_definition(metric)}{interval} {formats.tile_note(metric, unit, value, n)}")
    column.caption(formats.sample(metric, n))


def group_targets_chart(week: dt.date, customer_wait: float | None) -> None:
    groups = metric_marts.group_target_attainment(week)
    if groups.empty:
        st.caption("No support-group stint in that week.")
        return
    enough = groups["n"] >= formats.MIN_SAMPLE
    colours = ["rgb(190,190,190)" if not ok else "rgb(44,160,44)" if v >= ATTAINMENT_GREEN else "rgb(255,127,14)"
               for v, ok in zip(groups["value"], enough, strict=True)]
    fig = go.Figure(go.Bar(
        x=groups["value"].where(enough, 0.0), y=groups["group_name"], orientation="h", marker_color=colours,
        text=[f"{v:.0%} of {n:,}" if ok else f"too few: {n:,} stints" for v, n, ok in zip(groups["value"], groups["n"], enough, strict=True)],
        textposition=["inside" if ok else "outside" for ok in enough], insidetextanchor="start", cliponaxis=False,
        error_x=charts.error_bars(groups["value"].where(enough), groups["ci_lower"].where(enough), groups["ci_upper"].where(enough)),
        customdata=groups[["target_business_hours", "n"]],
        hovertemplate="%{y}: %{x:.0%} of %{customdata[1]} stints within %{customdata[0]} business hours<extra></extra>",
    ))
    fig.update_layout(height=max(180, 45 * len(groups)), margin=charts.MARGINS,
                      xaxis={"range": [0, 1], "tickformat": ".0%", "title": "Stints within the group's target"},
                      yaxis={"title": "Support group"})
    st.plotly_chart(fig, width="stretch")
    wait = "n/a" if customer_wait is None or pd.isna(customer_wait) else f"{customer_wait:,.1f} hours"
    st.caption(f"Green: at least {ATTAINMENT_GREEN:.0%} of a group's stints met its own target; grey: fewer than "
               f"{formats.MIN_SAMPLE} stints, too few to read. Meanwhile the median customer waited {wait} to smile.")


def body(view: page.View) -> None:
    where = metric_marts.metric_slice(view.filters)
    if not where.complete:
        st.caption("The weekly metrics are cut by one filter value at a time: showing the whole company.")
    metrics = ("time_to_smile_p90_hours", *CUSTOMER_SIDE, *COMPANY_SIDE)
    weekly = metric_marts.weekly_metrics(metrics, where, monday(view.first_day) - dt.timedelta(weeks=1), view.end)
    latest = weeks.latest_full_week(view.publication["as_of"], view.first_day, view.end)
    week = weeks.headline_week(latest, view.first_day, weekly)
    page.heading(f"Time to Smile, week of {week:%d %B %Y}", "time_to_smile_median_hours",
                 scope=f"{where.label}; change against the week before")
    cols = st.columns(3)
    metric_tile(cols[0], weekly, "time_to_smile_median_hours", week)
    metric_tile(cols[1], weekly, "time_to_smile_p90_hours", week)
    this = value_at(weekly, "time_to_smile_median_hours", week)
    cols[2].metric("Cases started that week", "0" if this is None else f"{this['n']:,}")
    quiet = value_at(weekly, "time_to_smile_median_hours", latest)
    if note := weeks.passed_over(latest, 0 if quiet is None else int(quiet["n"]), week):
        st.info(note, icon=":material/info:")
    page.heading("Time to Smile by week", "time_to_smile_median_hours",
                 scope=f"{where.label}; cases by the week they started; the band is the median's 90% interval")
    charts.time_to_smile_trend(weekly[pd.to_datetime(weekly["week_start"]).dt.date >= monday(view.first_day)])
    customer, company = st.columns(2)
    with customer:
        page.heading("What the customer lives", perspective="customer", scope=f"week of {week:%d %b}")
        tiles = st.columns(2)
        for i, metric in enumerate(CUSTOMER_SIDE):
            metric_tile(tiles[i % 2], weekly, metric, week)
    with company:
        page.heading("What the company reports", perspective="company", scope=f"week of {week:%d %b}")
        tiles = st.columns(2)
        for i, metric in enumerate(COMPANY_SIDE):
            metric_tile(tiles[i % 2], weekly, metric, week)
    page.heading("Each group's own target", "internal_target_attainment_by_group",
                 scope=f"week of {week:%d %b}; the whole company")
    group_targets_chart(week, None if this is None else this["value"])


page.show("Overview", "Customer-centric first: the hours from the moment a customer's use of the product was "
          "interrupted to the moment they are happy again, beside the company's own numbers.", body)
