"""Retention: who left and why, the ARR lost, the renewals at risk now, and what the customers
lived before an account renewed or not (experience against what followed)."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

import accounts
import charts
import page


def body(view: page.View) -> None:
    scope = accounts.account_scope(view.filters)
    page.heading("Accounts now", perspective="customer", scope=scope)
    head = accounts.retention_headline(view.filters)
    cols = st.columns(4)
    cols[0].metric("Accounts churned", f"{head['churned']:,.0f} of {head['accounts']:,.0f}",
                   help="Accounts with a renewal opportunity closed lost.")
    cols[1].metric("Lost ARR", f"${head['lost_arr']:,.0f}", help="The ARR of the churned accounts.")
    cols[2].metric("Renewals at risk", f"{head['at_risk']:,.0f}",
                   help="Utilization (active users / licensed seats) under 0.5 and the renewal date within 90 days after the as-of time.")
    cols[3].metric("White-glove cases open", f"{head['white_glove_open_cases']:,.0f}",
                   help="Open cases of white-glove accounts right now.")
    reasons = accounts.churn_reasons(view.filters)
    page.heading("Why customers left", "churn_reasons_ranked", scope=f"{scope}; bars: lost ARR, labels: accounts")
    if reasons.empty:
        st.caption("No account has churned.")
    else:
        fig = px.bar(reasons, x="lost_arr", y="loss_reason", orientation="h", text="churned_accounts",
                     labels={"lost_arr": "Lost ARR", "loss_reason": "Loss reason", "churned_accounts": "Accounts"})
        fig.update_layout(height=max(200, 40 * len(reasons)), margin=charts.MARGINS)
        st.plotly_chart(fig, width="stretch")
    page.heading("Renewals at risk", "renewal_at_risk", scope=scope)
    at_risk = accounts.renewals_at_risk(view.filters)
    if at_risk.empty:
        st.caption("No renewal is at risk.")
    else:
        st.dataframe(at_risk, hide_index=True, column_config={
            "account_name": st.column_config.TextColumn("Account", help="The account's name in the CRM."),
            "account_id": st.column_config.TextColumn("CRM id", help="The CRM Account Id."), "segment": "Segment",
            "arr": st.column_config.NumberColumn("ARR", format="$%,.0f"),
            "utilization": st.column_config.ProgressColumn("Utilization", format="percent", min_value=0.0, max_value=1.0),
            "renewal_date": st.column_config.DateColumn("Renews"), "open_cases": "Open cases"})
    experience_and_outcomes()


def experience_and_outcomes() -> None:
    """The outcome's rate by quartile of each driver, and each driver's adjusted effect."""
    page.heading("Experience and what followed", perspective="customer",
                 scope="all accounts (fitted across every account: the filters do not apply); the 180 days before each outcome")
    outcome = st.radio("Outcome", list(accounts.OUTCOME_LABELS), format_func=accounts.OUTCOME_LABELS.get, horizontal=True,
                       help="Renewal lost: a renewal opportunity closed lost (the account churned). NPS detractor: a "
                            "response scoring 0-6. Each is read against what the account's customers lived in the 180 "
                            "days before it.")
    quartiles, effects = accounts.experience_quartiles(outcome), accounts.experience_effects(outcome)
    if quartiles is None or effects is None:
        st.caption("This publication predates these figures: the next `smile run` publishes them.")
        return
    ranked = quartiles[quartiles["quartile"].notna()].copy()
    if ranked.empty:
        st.caption("No outcome yet with cases in the half-year before it.")
        return
    ranked["Quartile"] = ranked["quartile"].map(lambda q: f"Q{int(q)}")
    ranked["Driver"] = ranked["driver"].map(accounts.DRIVER_LABELS)
    # a 2 x 2 grid, one panel per driver, sharing the y axis: the four quartiles side by side
    fig = px.bar(ranked, x="Quartile", y="value", facet_col="Driver", facet_col_wrap=2, facet_row_spacing=0.14,
                 error_y=ranked["ci_upper"] - ranked["value"], error_y_minus=ranked["value"] - ranked["ci_lower"],
                 hover_data={"n": True, "outcomes": True, "driver_from": ":.2f", "driver_to": ":.2f"},
                 labels={"value": "Share with the outcome"},
                 category_orders={"Driver": [label for driver, label in accounts.DRIVER_LABELS.items()
                                             if driver in set(ranked["driver"])],
                                  "Quartile": ["Q1", "Q2", "Q3", "Q4"]})
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", showticklabels=True)
    fig.update_layout(height=480, margin={**charts.MARGINS, "t": 30})  # room for the top panels' titles
    st.plotly_chart(fig, width="stretch")
    unmeasured = quartiles[quartiles["quartile"].isna()]
    st.caption("Q1 is the best experience (shorter waits, fewer handoffs without context, reopens and frowns), Q4 the "
               "worst; bars show the 90% interval. "
               + (f"{int(unmeasured['n'].max()):,} outcomes had nothing to measure in their window and are not in the "
                  "quartiles. " if not unmeasured.empty else "")
               + "An association across accounts, not a cause.")
    shown = effects.assign(Driver=effects["driver"].map(accounts.DRIVER_LABELS)).set_index("driver").loc[
        list(accounts.DRIVER_LABELS)].reset_index()
    st.dataframe(shown[["Driver", "odds_ratio_per_sd", "ci_lower", "ci_upper", "p_value", "n", "outcomes", "note"]],
                 hide_index=True, column_config={
                     "odds_ratio_per_sd": st.column_config.NumberColumn(
                         "Odds ratio per SD", format="%.2f",
                         help="How the odds of the outcome change with one standard deviation more of the driver, the "
                              "other three held fixed (logistic regression); above 1: goes with more of the outcome."),
                     "ci_lower": st.column_config.NumberColumn("90% low", format="%.2f"),
                     "ci_upper": st.column_config.NumberColumn("90% high", format="%.2f"),
                     "p_value": st.column_config.NumberColumn("p", format="%.3f"),
                     "n": st.column_config.NumberColumn("n", help="Outcome events in the model."),
                     "outcomes": st.column_config.NumberColumn("With the outcome"),
                     "note": st.column_config.TextColumn("Why no estimate")})



page.show("Retention", "Who left and why, the ARR lost (CRM), the renewals at risk by utilization, and what "
          "customers lived before an account renewed or left.", body)
