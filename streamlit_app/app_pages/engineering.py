"""Engineering: which bugs cost customers the most, so the fix order follows the customer."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

import charts
import data
import page

def body(view: page.View) -> None:
    bugs = data.bug_stack_rank()
    page.heading("The bugs that hurt customers most", "bug_stack_rank",
                 scope="all linked cases; the whole company (the stack rank is not cut by filters)")
    if bugs.empty:
        st.info("No engineering issue is linked to a case in this publication.")
        return
    fig = px.bar(
        bugs.iloc[::-1], x="linked_cases", y="issue_key", orientation="h",
        hover_data={"summary": True, "linked_accounts": True, "linked_arr": ":,.0f", "engineering_hours_caused": ":,.1f"},
        labels={"linked_cases": "Cases linked", "issue_key": "Issue"},
    )
    fig.update_layout(height=max(240, 28 * len(bugs)), margin=charts.MARGINS)
    st.plotly_chart(fig, width="stretch")
    st.dataframe(
        bugs, hide_index=True,
        column_config={
            "stack_rank": st.column_config.NumberColumn("Rank", format="%d"),
            "issue_key": "Issue", "project_key": "Project", "summary": "Summary", "status_category": "Status",
            "is_resolved": "Resolved", "linked_cases": "Cases", "linked_accounts": "Accounts",
            "linked_arr": st.column_config.NumberColumn("ARR affected", format="$%,.0f"),
            "engineering_hours_caused": st.column_config.NumberColumn(
                "Engineering hours", format="%.1f",
                help="Hours the linked cases spent waiting on engineering (the engineering phase)."),
        },
    )



page.show("Engineering: the bug stack rank", "Engineering issues linked to cases, ranked by the customers they hurt: "
          "linked cases, then accounts, then the ARR of those accounts.", body)
