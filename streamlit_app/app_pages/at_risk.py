"""At risk now: the cases open at the as-of, how long their customers have waited, who holds
them, and how likely each is to smile soon: the handle passed at every handoff."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

import charts
import outlook
import page
import serving
from cases import PHASE_LABELS


#: Where the log axis of days waited is labelled.
WAITED_TICKS = (1 / 24, 4 / 24, 0.5, 1, 2, 4, 7, 14, 30, 60, 120, 240, 365)


def _days(days: float) -> str:
    return f"{days * 24:.0f} h" if days < 1 else f"{days:.0f} d"


#: The chances, shown in whole percents.
CHANCES = ("p_smile_24h", "p_smile_72h", "p_smile_7d", "p_frown_7d")


def _chart(cases) -> None:
    """Every listed case: how long its customer has waited (days, log scale) against its chance of
    smiling within 72 hours, with that chance's 90% interval; one colour per holder."""
    shown = cases.assign(waited_days=cases["elapsed_hours"] / 24,
                         phase_label=cases["phase"].map(PHASE_LABELS).fillna(cases["phase"]))
    fig = px.scatter(
        shown, x="waited_days", y="p_smile_72h", color="holder", log_x=True,
        error_y=shown["p_smile_72h_ci_upper"] - shown["p_smile_72h"],
        error_y_minus=shown["p_smile_72h"] - shown["p_smile_72h_ci_lower"],
        hover_data={"case_id": True, "account_name": True, "phase_label": True, "p_smile_7d": ":.0%",
                    "expected_remaining_hours": ":.0f", "waited_days": ":.1f", "p_smile_72h": ":.0%", "holder": True},
        labels={"waited_days": "Waited so far (days, log scale)", "p_smile_72h": "Chance of smiling within 72 hours",
                "holder": "Held by", "case_id": "Case", "account_name": "Account", "phase_label": "Phase",
                "p_smile_7d": "Within 7 days", "expected_remaining_hours": "Expected further wait (h)"},
    )
    fig.update_yaxes(tickformat=".0%", range=[-0.03, 1.03])
    fig.update_xaxes(tickvals=WAITED_TICKS, ticktext=[_days(d) for d in WAITED_TICKS])
    fig.update_layout(height=420, margin=charts.MARGINS, legend={"title": "Held by"})
    st.plotly_chart(fig, width="stretch")


def body(view: page.View) -> None:
    if not serving.has_mart("fct_open_case_outlook"):
        st.info("This publication has no open-case outlook yet: the next `smile run` publishes it.")
        return
    scope = "every case open at the as-of, with the sidebar's filters (the period does not apply)"
    head = outlook.outlook_summary(view.filters)
    page.heading("Open now", perspective="customer", scope=scope)
    cols = st.columns(4)
    cols[0].metric("Open cases", f"{head['open_cases']:,.0f}")
    cols[1].metric("Expected smiles in 72 h", f"{head['expected_smiles_72h']:,.1f}",
                   help="The sum of the open cases' chances of smiling within 72 hours.")
    cols[2].metric("Unlikely within a week", f"{head['unlikely_within_7d']:,.0f}",
                   help="Open cases with less than a 20% chance of smiling within 7 days.")
    cols[3].metric("Handed off without context", f"{head['handed_off_without_context']:,.0f}",
                   help="Open cases whose last handoff carried no private note from the agent handing off.")
    cases = outlook.open_case_outlook(view.filters)
    if cases.empty:
        st.caption("No case is open.")
        return
    page.heading("How long they have waited, and how likely they are to smile soon", perspective="customer",
                 scope=f"{scope}; bars: the 90% interval; hover for the case")
    _chart(cases)
    page.heading("The cases least likely to smile within a week", perspective="customer",
                 scope=f"{scope}; then the longest expected wait; at most {outlook.LISTED}")
    st.dataframe(
        cases.assign(**{c: cases[c] * 100 for c in CHANCES},
                     phase=cases["phase"].map(PHASE_LABELS).fillna(cases["phase"]),
                     waited_days=cases["elapsed_hours"] / 24,
                     p_smile_7d_interval=[f"{lo:.0%} to {hi:.0%}" if lo == lo else "no comparable case"
                                          for lo, hi in zip(cases["p_smile_7d_ci_lower"], cases["p_smile_7d_ci_upper"],
                                                            strict=True)]),
        hide_index=True,
        column_order=["case_id", "account_name", "holder", "phase", "waited_days", "p_smile_24h", "p_smile_72h",
                      "p_smile_7d", "p_smile_7d_interval", "p_frown_7d", "expected_remaining_hours",
                      "last_handoff_carried_context", "compared_with", "n_7d"],
        column_config={
            "case_id": st.column_config.NumberColumn("Case", format="%d"),
            "account_name": "Account", "holder": "Held by", "phase": "Phase",
            "waited_days": st.column_config.NumberColumn("Waited (days)", format="%.1f"),
            "p_smile_24h": st.column_config.NumberColumn("Smiles within 24 h", format="%.0f%%"),
            "p_smile_72h": st.column_config.NumberColumn("Within 72 h", format="%.0f%%"),
            "p_smile_7d": st.column_config.NumberColumn("Within 7 days", format="%.0f%%"),
            "p_smile_7d_interval": st.column_config.TextColumn("7 days: 90% interval"),
            "p_frown_7d": st.column_config.NumberColumn("Frowns within 7 days", format="%.0f%%",
                                                        help="Solved with a bad rating within 7 days."),
            "expected_remaining_hours": st.column_config.NumberColumn(
                "Expected further wait (h)", format="%.0f",
                help="Until solved, smiling or frowning; counted up to 720 hours (30 days)."),
            "last_handoff_carried_context": st.column_config.CheckboxColumn(
                "Last handoff with context", help="Empty when the case has not been handed off."),
            "compared_with": st.column_config.TextColumn(
                "Compared with", help="Cases in the same position this many hours into their wait: the finest "
                                      "grouping with at least 30 known outcomes."),
            "n_7d": st.column_config.NumberColumn("n", format="%d",
                                                  help="Comparable cases whose outcome over 7 days is known."),
        },
    )
    st.caption("The chances come from what happened to comparable cases before: the same channel, priority, phase, "
               "holder and weekday at the same point of their wait, with frowning counted as an end without a "
               "smile. Backtested against what followed: docs/decisions.md, \"The open-case outlook\".")


page.show("At risk now", "The open cases: how long their customers have waited, who holds them, and how likely "
          "each is to smile within a day, three days or a week.", body)
