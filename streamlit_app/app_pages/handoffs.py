"""Handoffs: where cases travel between groups, and whether the context travels with them."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

import data
import filters


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


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
    fig.update_layout(height=420, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(fig, width="stretch")


def render() -> None:
    st.title("Handoffs")
    st.caption("Every handoff is a new person the customer waits for. Left: who handed off; right: who received.")
    if not data.is_published():
        st.info(data.not_published_message())
        return
    publication = data.publication()
    lo, hi = data.started_at_bounds()
    if lo is None or hi is None:
        st.info("The current publication holds no cases yet.")
        return
    chosen = filters.case_filters()
    first_day, last_day = filters.period(publication["as_of"], lo, hi)
    end_excl = last_day + dt.timedelta(days=1)
    rates = data.handoff_rates(first_day, end_excl, chosen)
    cols = st.columns(3)
    cols[0].metric("Handoffs per case", "n/a" if rates["handoffs_per_case"] is None else f"{rates['handoffs_per_case']:.2f}",
                   help=data.metric_definition("handoffs_per_case"))
    cols[1].metric("Handoff context rate", _percent(rates["handoff_context_rate"]),
                   help=data.metric_definition("handoff_context_rate"))
    cols[2].metric("Owner resolution rate", _percent(rates["owner_resolution_rate"]),
                   help=data.metric_definition("owner_resolution_rate"))
    flows = data.handoff_flows(first_day, end_excl, chosen)
    st.subheader("Between groups")
    if flows.empty:
        st.caption("No handoff in this period.")
    else:
        _flow_diagram(flows)
        st.dataframe(flows, hide_index=True, column_config={
            "from_group": "From", "to_group": "To", "handoffs": "Handoffs", "with_context": "With context"})
    st.subheader("Transfers per agent")
    st.caption("Agents are pseudonyms (docs/privacy.md); all time, not filtered. " + data.metric_definition("transfers_per_agent"))
    st.dataframe(data.agent_transfers(), hide_index=True, column_config={
        "agent_id": "Agent", "cases_owned": "Cases owned", "handoffs_away": "Handed off",
        "handoffs_with_context": "With context",
        "transfers_per_case_owned": st.column_config.NumberColumn("Transfers per case owned", format="%.2f")})


render()
