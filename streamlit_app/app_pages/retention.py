"""Retention: who left and why, the ARR lost, and the renewals at risk now."""

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



page.show("Retention", "Who left and why, the ARR lost (CRM), and the renewals at risk by utilization.", body)
