"""The moves worth telling: the headline metrics the published one-pager marks as moved
(`marts.metric_weekly_summary.is_significant_move`: this week's and last week's 90% intervals do
not overlap), where both weeks rest on enough observations for the one-pager to show the move."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import metric_formats
from ..warehouse import connect


@dataclass(frozen=True)
class Move:
    metric: str
    unit: str | None
    week_start: dt.date
    value: float
    ci_lower: float | None
    ci_upper: float | None
    n: int
    last_week_value: float
    last_week_ci_lower: float | None
    last_week_ci_upper: float | None
    last_week_n: int

    @property
    def direction(self) -> str:
        return metric_formats.direction(self.metric, self.value, self.last_week_value)

    @property
    def key(self) -> str:
        """What identifies the news: the metric, its week and which way it moved."""
        return f"{self.metric}|{self.week_start.isoformat()}|{self.direction}"


@dataclass(frozen=True)
class PublishedMoves:
    run_id: str  # the publication's run (marts.publication)
    moves: list[Move]


def published_moves(serving: Path) -> PublishedMoves:
    """The significant moves of the publication in `serving`, in the one-pager's order."""
    with connect(serving, read_only=True) as con:
        (run_id,) = con.execute("select run_id from marts.publication").fetchone()
        rows = con.execute("""
            select s.metric, c.unit, s.week_start, s.value, s.ci_lower, s.ci_upper, s.n,
                   s.last_week_value, s.last_week_ci_lower, s.last_week_ci_upper, s.last_week_n
            from marts.metric_weekly_summary as s
            left join marts.metric_catalog as c using (metric)
            where s.is_significant_move
        """).fetchall()
    moves = [move for move in (Move(*row) for row in rows) if metric_formats.both_weeks_readable(move.n, move.last_week_n)]
    order = {metric: i for i, metric in enumerate(metric_formats.METRIC_LABELS)}
    moves.sort(key=lambda move: (order.get(move.metric, len(order)), move.metric))
    return PublishedMoves(run_id=run_id, moves=moves)
