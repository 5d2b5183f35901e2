"""Weekly one-pager: the company's headline metrics for the latest full week against the week
before, in bite-sized pieces, with a printable download to share."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import charts
from time_to_smile import metric_formats as formats
import metric_marts
import page
import weekly_report

TILES_PER_ROW = 4


def tiles(summary: pd.DataFrame) -> None:
    for start in range(0, len(summary), TILES_PER_ROW):
        cols = st.columns(TILES_PER_ROW)
        for col, (_, r) in zip(cols, summary.iloc[start:start + TILES_PER_ROW].iterrows(), strict=False):
            flag = " · a move beyond the noise" if r["is_significant_move"] else ""
            unit, value, n = r["unit"], r["value"], r["n"]
            col.metric(
                formats.label(r["metric"]), formats.tile_value(unit, value, n),
                None if formats.too_few(n) else formats.change(unit, value, r["last_week_value"]),
                delta_color="inverse" if r["metric"] in formats.LOWER_IS_BETTER else "normal",
                help=f"{metric_marts.metric_definition(r['metric'])} 90% interval: "
                     f"{formats.interval(unit, r['ci_lower'], r['ci_upper']) or 'none'}. "
                     f"{formats.tile_note(r['metric'], unit, value, n)}",
            )
            col.caption(f"{r['perspective']} perspective · {formats.sample(r['metric'], n)}{flag}")


def body(view: page.View) -> None:
    summary = formats.in_headline_order(metric_marts.weekly_summary())
    if summary.empty:
        st.info("No full week has been published yet.")
        return
    week = pd.Timestamp(summary["week_start"].iloc[0]).date()
    trend = metric_marts.weekly_metrics(("time_to_smile_median_hours", "time_to_smile_p90_hours"), metric_marts.metric_slice({}),
                                week - dt.timedelta(weeks=7), week + dt.timedelta(weeks=1))
    st.markdown(f"**Week of {week:%d %B %Y}.** {weekly_report.headline(summary)}")
    if note := weekly_report.passed_over(summary):
        st.info(note, icon=":material/info:")
    report = weekly_report.render_html(summary, trend[trend["metric"] == "time_to_smile_median_hours"], view.publication)
    st.download_button("Download the one-pager (HTML, prints to one page)", report,
                       file_name=f"time-to-smile-week-{week:%Y-%m-%d}.html", mime="text/html",
                       icon=":material/download:", key="one_pager_download",
                       help="A self-contained page to mail or print; the browser's Print → Save as PDF makes the PDF.")
    page.heading("This week against last", perspective=None, scope="the whole company; the filters do not apply")
    tiles(summary)
    page.heading("Time to Smile, the last eight weeks", "time_to_smile_median_hours", scope="the whole company")
    charts.time_to_smile_trend(trend, height=260)


page.show("Weekly one-pager", "The week in one page: how long customers waited to smile, and the numbers around it, "
          "this week against last.", body)
