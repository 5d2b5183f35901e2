"""Handoffs: where cases travel between groups, and whether the context travels with them."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

import charts
from time_to_smile import metric_formats as formats
import holders
import metric_marts
import page


#: Sankey node labels: dark and large enough to read over the coloured bands, without Plotly's white halo.
NODE_FONT = {"color": "#1f2937", "size": 13, "shadow": "none"}
NODE_COLOURS = px.colors.qualitative.D3


def _flow_diagram(flows) -> None:
    """The handoffs between two different groups as a Sankey: who handed off (left) to whom (right)."""
    groups = sorted(set(flows["from_group"]) | set(flows["to_group"]))
    # a group both hands off and receives (Tier 1 -> Tier 2 -> Tier 1): a node on each side, the
    # left one told apart by a trailing space
    sources = [f"{g} " for g in groups]
    index = {name: i for i, name in enumerate(sources + groups)}
    # one colour per group, the same on both sides
    colours = [NODE_COLOURS[i % len(NODE_COLOURS)] for i in range(len(groups))]
    fig = go.Figure(go.Sankey(
        node={"label": sources + groups, "color": colours + colours, "pad": 18, "thickness": 16, "line": {"width": 0},
              "hovertemplate": "%{label}: %{value} handoffs<extra></extra>"},
        link={
            "source": [index[f"{g} "] for g in flows["from_group"]],
            "target": [index[g] for g in flows["to_group"]],
            "value": list(flows["handoffs"]),
            # a band takes the colour of the group that handed off, faded so the labels stay readable
            "color": [_faded(colours[groups.index(g)]) for g in flows["from_group"]],
            "customdata": [f"{w} of {n} with context" for w, n in zip(flows["with_context"], flows["handoffs"], strict=True)],
            "hovertemplate": "%{source.label}→ %{target.label}: %{value} handoffs<br>%{customdata}<extra></extra>",
        },
        textfont=NODE_FONT,
    ))
    fig.update_layout(height=max(320, 44 * len(groups)), margin=charts.MARGINS, font=NODE_FONT)
    st.plotly_chart(fig, width="stretch")


def _faded(colour: str, alpha: float = 0.3) -> str:
    """A "#RRGGBB" colour as a translucent rgba()."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _within_group_caption(within) -> str:
    """Handoffs from one agent to another of the same group, in words: not drawn between groups."""
    count = int(within["handoffs"].sum())
    by_group = within.groupby("from_group")["handoffs"].sum().sort_values(ascending=False, kind="stable")
    where = ", ".join(f"{n:,} in {g}" for g, n in by_group.items())
    return (f"{count:,} handoff{'s' if count != 1 else ''} stayed within a group, from one agent to another of the "
            f"same group ({where}): not drawn between groups above; the table lists {'them' if count != 1 else 'it'}.")


def body(view: page.View) -> None:
    rates = holders.handoff_rates(view.first_day, view.end, view.filters)
    page.heading("This period's handoffs", perspective="customer", scope="the period's cases, with the filters")
    cols = st.columns(3)
    tiles = (("Handoffs per case", "handoffs_per_case", "handoffs", "cases"),
             ("Handoff context rate", "handoff_context_rate", "fraction", "handoffs"),
             ("Owner resolution rate", "owner_resolution_rate", "fraction", "owner_cases"))
    for col, (label, metric, unit, sample) in zip(cols, tiles, strict=True):
        n = rates[sample]
        col.metric(label, formats.tile_value(unit, rates[metric], n),
                   help=f"{metric_marts.metric_definition(metric)} {formats.tile_note(metric, unit, rates[metric], n)}")
        col.caption(formats.sample(metric, n))
    flows = holders.handoff_flows(view.first_day, view.end, view.filters)
    page.heading("Between groups", "handoff_context_rate", perspective="customer",
                 scope="left: who handed off; right: who received; hover for how many carried context")
    if flows.empty:
        st.caption("No handoff in this period.")
    else:
        within = flows["from_group"] == flows["to_group"]
        if within.all():
            st.caption("No handoff between two different groups in this period.")
        else:
            _flow_diagram(flows[~within])
        if within.any():
            st.caption(_within_group_caption(flows[within]))
        st.dataframe(flows, hide_index=True, column_config={
            "from_group": "From", "to_group": "To", "handoffs": "Handoffs", "with_context": "With context"})
    page.heading("Transfers per agent", "transfers_per_agent",
                 scope="agents are pseudonyms (docs/privacy.md); all time, the whole company")
    st.dataframe(holders.agent_transfers(), hide_index=True, column_config={
        "agent_id": "Agent", "cases_owned": "Cases owned", "handoffs_away": "Handed off",
        "handoffs_with_context": "With context",
        "transfers_per_case_owned": st.column_config.NumberColumn("Transfers per case owned", format="%.2f")})


page.show("Handoffs", "Every handoff is a new person the customer waits for, and a chance for the context to be lost.", body)
