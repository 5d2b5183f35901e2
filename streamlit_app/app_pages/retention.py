"""Retention: who left and why, the ARR lost, and the renewals at risk now."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

import data


def render() -> None:
    st.title("Retention")
    st.caption("Churn, its reasons and lost ARR (CRM); renewals at risk by utilization. Perspective: customer.")
    if not data.is_published():
        st.info(data.not_published_message())
        return
    head = data.retention_headline()
    cols = st.columns(4)
    cols[0].metric("Accounts churned", f"{head['churned']:,.0f} of {head['accounts']:,.0f}",
                   help="Accounts with a renewal opportunity closed lost.")
    cols[1].metric("Lost ARR", f"${head['lost_arr']:,.0f}", help="The ARR of the churned accounts.")
    cols[2].metric("Renewals at risk", f"{head['at_risk']:,.0f}",
                   help="Utilization (active users / licensed seats) under 0.5 and the renewal date within 90 days after the as-of time.")
    cols[3].metric("White-glove cases open", f"{head['white_glove_open_cases']:,.0f}",
                   help="Open cases of white-glove accounts right now.")
    reasons = data.churn_reasons()
    st.subheader("Why customers left")
    if reasons.empty:
        st.caption("No account has churned.")
    else:
        fig = px.bar(reasons, x="lost_arr", y="loss_reason", orientation="h", text="churned_accounts",
                     labels={"lost_arr": "Lost ARR", "loss_reason": "Loss reason", "churned_accounts": "Accounts"})
        fig.update_layout(height=max(200, 40 * len(reasons)), margin={"l": 10, "r": 10, "t": 10, "b": 10})
        st.plotly_chart(fig, width="stretch")
    st.subheader("Renewals at risk")
    at_risk = data.renewals_at_risk()
    if at_risk.empty:
        st.caption("No renewal is at risk.")
    else:
        st.dataframe(at_risk, hide_index=True, column_config={
            "account_id": "Account", "segment": "Segment",
            "arr": st.column_config.NumberColumn("ARR", format="$%,.0f"),
            "utilization": st.column_config.ProgressColumn("Utilization", format="percent", min_value=0.0, max_value=1.0),
            "renewal_date": st.column_config.DateColumn("Renews"), "open_cases": "Open cases"})


render()
