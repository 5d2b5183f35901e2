"""An alert's words: one short message for all of a publication's moves, the same text on every
channel (a Slack-compatible webhook's `text`, an e-mail's body), with a link to the one-pager."""

from __future__ import annotations

from dataclasses import dataclass

from ..metric_formats import counted, formatted, interval, label, sample
from .moves import Move

#: The app's page the alert links to (Streamlit's URL path for app_pages/one_pager.py).
ONE_PAGER_PATH = "one_pager"


@dataclass(frozen=True)
class Message:
    subject: str
    text: str


def _line(move: Move) -> str:
    this = f"{formatted(move.unit, move.value)} (90% interval {interval(move.unit, move.ci_lower, move.ci_upper)}, " \
           f"{sample(move.metric, move.n)})"
    last = f"{formatted(move.unit, move.last_week_value)} " \
           f"(90% interval {interval(move.unit, move.last_week_ci_lower, move.last_week_ci_upper)}, " \
           f"{sample(move.metric, move.last_week_n)})"
    return f"- {label(move.metric)}: {this}, against {last} the week before: {move.direction}."


def compose(moves: list[Move], app_url: str) -> Message:
    """The message for `moves` (all of one week), linking to the one-pager at `app_url`."""
    week = moves[0].week_start
    worse = sum(move.direction == "worse" for move in moves)
    subject = (f"Time to Smile: {counted(len(moves), 'headline metrics')} moved in the week of {week:%d %b %Y}"
               + (f" ({worse} for the worse)" if worse else ""))
    lines = [
        f"{subject}. Each moved beyond the noise: this week's 90% interval and last week's do not overlap.",
        *(_line(move) for move in moves),
        f"The weekly one-pager: {app_url}/{ONE_PAGER_PATH}",
    ]
    return Message(subject=subject, text="\n".join(lines))
