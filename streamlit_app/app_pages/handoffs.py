"""Handoffs: where cases travel between groups, and whether the context travels with them."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

import charts
import data
import formats
import page


def _flow_diagram(flows) -> None:
    groups = sorted(set(flows["from_group"]) | set(flows["to_group"]))
    # the same group on both sides (a reassignment inside Tier 1) needs two nodes
    sources = [f"{g} " for g in groups]
    index = {name: i for i, name in enumerate(sources + groups)}
    fig = go.Figure(go.Sankey(
        node={"label": sources + groups, "pad": 18},
        link={
            "source": [index[f"{g} "] for g in flows["from_group"]],
            "target": [index[g] for g in flows["to_group"]],
            "value": list(flows["handoffs"]),
            "customdata": [f"{w} of {n} with context" for w, n in zip(flows["with_context"], flows["handoffs"], strict=True)],
            "hovertemplate": "%{source.label}→ %{target.label}: %{value} handoffs<br>%{customdata}<extra></extra>",
        },
    ))
    fig.update_layout(height=420, margin=charts.MARGINS)
    st.plotly_chart(fig, width="stretch")


def body(view: page.View) -> None:
    rates = data.handoff_rates(view.first_day, view.end, view.filters)
    page.heading("This period's handoffs", perspective="customer", scope="the period's cases, with the filters")
    cols = st.columns(3)
    cols[0].metric("Handoffs per case", formats.formatted("handoffs", rates["handoffs_per_case"]),
                   help=data.metric_definition("handoffs_per_case"))
    cols[1].metric("Handoff context rate", formats.formatted("fraction", rates["handoff_context_rate"]),
                   help=data.metric_definition("handoff_context_rate"))
    cols[2].metric("Owner resolution rate", formats.formatted("fraction", rates["owner_resolution_rate"]),
                   help=data.metric_definition("owner_resolution_rate"))
    flows = data.handoff_flows(view.first_day, view.end, view.filters)
    page.heading("Between groups", "handoff_context_rate", perspective="customer",
                 scope="left: who handed off; right: who received; hover for how many carried context")
    if flows.empty:
        st.caption("No handoff in this period.")
    else:
        _flow_diagram(flows)
        st.dataframe(flows, hide_index=True, column_config={
            "from_group": "From", "to_group": "To", "handoffs": "Handoffs", "with_context": "With context"})
    page.heading("Transfers per agent", "transfers_per_agent",
                 scope="agents are pseudonyms (docs/privacy.md); all time, the whole company")
    st.dataframe(data.agent_transfers(), hide_index=True, column_config={
        "agent_id": "Agent", "cases_owned": "Cases owned", "handoffs_away": "Handed off",
        "handoffs_with_context": "With context",
        "transfers_per_case_owned": st.column_config.NumberColumn("Transfers per case owned", format="%.2f")})


page.show("Handoffs", "Every handoff is a new person the customer waits for, and a chance for the context to be lost.", body)
