"""Engineering: which bugs cost customers the most, so the fix order follows the customer."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

import accounts
import charts
import page

def body(view: page.View) -> None:
    bugs = accounts.bug_stack_rank()
    page.heading("The bugs that hurt customers most", "bug_stack_rank",
                 scope="all linked cases; the whole company (the stack rank is not cut by filters)")
    if bugs.empty:
        st.info("No engineering issue is linked to a case in this publication.")
        return
    # the axis reads "KEY: summary", cut to fit; the hover has the whole summary
    shown = bugs.assign(issue_label=[_short(label) for label in bugs["issue"]])
    fig = px.bar(
        shown.iloc[::-1], x="linked_cases", y="issue_label", orientation="h",
        hover_data={"issue_label": False, "issue": True, "project_name": True, "linked_accounts": True,
                    "linked_arr": ":,.0f", "engineering_hours_caused": ":,.1f"},
        labels={"linked_cases": "Cases linked", "issue_label": "Issue", "issue": "Issue", "project_name": "Project",
                "linked_accounts": "Accounts", "linked_arr": "ARR affected", "engineering_hours_caused": "Engineering hours"},
    )
    fig.update_layout(height=max(240, 28 * len(bugs)), margin=charts.MARGINS)
    fig.update_yaxes(automargin=True)
    st.plotly_chart(fig, width="stretch")
    st.dataframe(
        bugs, hide_index=True,
        column_order=["stack_rank", "issue", "project_name", "status_category", "is_resolved", "linked_cases",
                      "linked_accounts", "linked_arr", "engineering_hours_caused"],
        column_config={
            "stack_rank": st.column_config.NumberColumn("Rank", format="%d"),
            "issue": st.column_config.TextColumn("Issue", help="The Jira issue's key and summary."),
            "issue_key": "Key", "project_key": "Project key", "project_name": "Project", "summary": "Summary",
            "status_category": "Status",
            "is_resolved": "Resolved", "linked_cases": "Cases", "linked_accounts": "Accounts",
            "linked_arr": st.column_config.NumberColumn("ARR affected", format="$%,.0f"),
            "engineering_hours_caused": st.column_config.NumberColumn(
                "Engineering hours", format="%.1f",
                help="Hours the linked cases spent waiting on engineering (the engineering phase)."),
        },
    )


#: Characters of "KEY: summary" an axis label shows.
AXIS_LABEL_CHARACTERS = 60


def _short(label: str) -> str:
    return label if len(label) <= AXIS_LABEL_CHARACTERS else label[: AXIS_LABEL_CHARACTERS - 1].rstrip() + "…"


page.show("Engineering: the bug stack rank", "Engineering issues linked to cases, ranked by the customers they hurt: "
          "linked cases, then accounts, then the ARR of those accounts.", body)
