"""The weekly one-pager as a self-contained HTML file: headline metrics of the latest full
week against the week before, and the Time to Smile trend as an inline SVG.

Self-contained on purpose: it is mailed, printed (an A4 page: browsers' "Save as PDF"
gives the PDF) and opened offline, so it carries its styles and its chart, and no script.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pandas as pd

from time_to_smile import metric_formats as formats
import weeks

STYLE = """
@page { size: A4; margin: 14mm; }
body { padding: 6mm 0; font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2430; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 20pt; margin: 0 0 2mm; } .lead { font-size: 12pt; margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { padding: 1.6mm 2mm; border-bottom: 1px solid #dde; text-align: right; }
th:first-child, td:first-child, td.perspective { text-align: left; }
.customer { color: #1f62b4; } .company { color: #b35900; }
.better { color: #1a7f37; } .worse { color: #c62828; } .note, footer { color: #667; font-size: 8.5pt; }
svg { display: block; margin: 2mm 0 4mm; }
"""


def sparkline(trend: pd.DataFrame, width: int = 640, height: int = 150) -> str:
    """The weekly median Time to Smile as an inline SVG line chart: a y axis in hours from 0 with
    gridlines, each week's Monday beneath its point, and the latest value labelled."""
    points = trend.dropna(subset=["value"])
    if len(points) < 2:
        return '<p class="note">Not enough weeks for a trend yet.</p>'
    values = list(points["value"])
    left, right, top, bottom = 44, 24, 10, 22  # room for the axis labels and the last week's date
    ticks = _nice_ticks(max(values))
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(v: float) -> float:
        return top + plot_h - v / ticks[-1] * plot_h

    xs = [left + i * plot_w / (len(values) - 1) for i in range(len(values))]
    ys = [y(v) for v in values]
    grid = "".join(
        f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#e3e5ea"/>'
        f'<text x="{left - 4}" y="{y(t) + 3:.1f}" font-size="9" text-anchor="end" fill="#667">{t:,.0f} h</text>'
        for t in ticks
    )
    weeks = "".join(
        f'<text x="{x:.1f}" y="{height - 6}" font-size="9" text-anchor="middle" fill="#667">'
        f'{pd.Timestamp(w).strftime("%d %b")}</text>'
        for x, w in zip(xs, points["week_start"], strict=True)
    )
    path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in zip(xs, ys, strict=True))
    dots = "".join(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="2.5" fill="#1f62b4"/>' for x, yy in zip(xs, ys, strict=True))
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Median Time to Smile by week, hours">{grid}'
        f'<polyline points="{path}" fill="none" stroke="#1f62b4" stroke-width="2"/>{dots}{weeks}'
        f'<text x="{xs[-1]:.1f}" y="{ys[-1] - 6:.1f}" font-size="10" text-anchor="end">'
        f"{formats.formatted('hours', values[-1])}</text></svg>"
    )


def _nice_ticks(high: float) -> list[float]:
    """Gridline values from 0 up to a round number at or above ``high``: 0, 50, 100, 150 for 120."""
    step = 10 ** max(0, len(str(int(max(high, 1) / 4))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if high / (step * factor) <= 4:
            step *= factor
            break
    count = int(-(-high // step)) or 1
    return [step * i for i in range(count + 1)]


def _row(r: pd.Series) -> str:
    unit, metric = r["unit"], r["metric"]
    readable = formats.both_weeks_readable(r["n"], r["last_week_n"])
    moved = formats.change(unit, r["value"], r["last_week_value"]) if readable else None
    direction = ""
    if moved is not None and r["is_significant_move"]:
        direction = formats.direction(metric, r["value"], r["last_week_value"])
    interval = formats.interval(unit, r["ci_lower"], r["ci_upper"]) if not formats.too_few(r["n"]) else ""
    cells = [
        html.escape(formats.label(metric)),
        f'<span class="{html.escape(str(r["perspective"]))}">{html.escape(str(r["perspective"]))}</span>',
        formats.tile_value(unit, r["value"], r["n"]),
        interval,
        formats.tile_value(unit, r["last_week_value"], r["last_week_n"]),
        f'<span class="{direction}">{moved or ""}{" ●" if direction else ""}</span>',
        "0" if pd.isna(r["n"]) else f"{int(r['n']):,}",
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def headline(summary: pd.DataFrame) -> str:
    """One sentence on the customer's week: the median Time to Smile against the week before."""
    rows = summary[summary["metric"] == "time_to_smile_median_hours"]
    if rows.empty or pd.isna(rows.iloc[0]["value"]):
        return "Too few customers have smiled this week to read a median Time to Smile yet."
    r = rows.iloc[0]
    before = "" if pd.isna(r["last_week_value"]) else f" ({formats.formatted('hours', r['last_week_value'])} the week before)"
    return (f"The median customer waited {formats.formatted('hours', r['value'])} from the interruption to a smile"
            f"{before}, over {int(r['n']):,} cases.")


def passed_over(summary: pd.DataFrame) -> str | None:
    """Why the one-pager reads an older week than the latest full one, if it does."""
    r = summary.iloc[0]
    return weeks.passed_over(pd.Timestamp(r["latest_full_week"]).date(), int(r["latest_full_week_cases"]),
                             pd.Timestamp(r["week_start"]).date())


def render_html(summary: pd.DataFrame, trend: pd.DataFrame, publication: dict[str, Any]) -> str:
    """The one-pager for the summary's week, as a complete HTML document."""
    week = pd.Timestamp(summary["week_start"].iloc[0]).date() if not summary.empty else None
    title = "Time to Smile weekly" + (f": week of {week:%d %B %Y}" if week else "")
    published = publication.get("published_at")
    as_of = publication.get("as_of")
    stamp = (f"Published {published:%Y-%m-%d %H:%M} UTC, data as of {as_of:%Y-%m-%d %H:%M} UTC"
             if isinstance(published, dt.datetime) and isinstance(as_of, dt.datetime) else "")
    head = "".join(f"<th>{h}</th>" for h in ("Metric", "Perspective", "This week", "90% interval", "Last week", "Change", "n"))
    rows = "".join(_row(r) for _, r in summary.iterrows())
    note = passed_over(summary) if not summary.empty else None
    passed = f'<p class="note">{html.escape(note)}</p>' if note else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p class=\"lead\">{html.escape(headline(summary))}</p>"
        f"{passed}<p class=\"note\">Median Time to Smile by week of the cases' start (hours, Kaplan-Meier)</p>{sparkline(trend)}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        "<p class=\"note\">● a move beyond the noise: this week's and last week's 90% intervals do not overlap. "
        "Customer perspective: what the customer lives; company perspective: the company's own targets. "
        "The whole company, all segments.</p>"
        f"<footer>{html.escape(stamp)}</footer></body></html>"
    )
