"""The open-case outlook (issue 24, item 1): for every case still waiting at an instant T, how
likely it is to smile within 24 hours, 72 hours and 7 days, how long it will likely wait still,
each with a 90% interval and its n, learnt from what happened to comparable cases in the same
position before T.

The model (docs/decisions.md, "The open-case outlook"):

- **What is known at T.** Every case started by T is a history: its wait ended by T (it
  smiled, or it frowned: solved with a bad rating), or it is still waiting, censored at T. The
  per-case facts (marts.fct_case_journey, fct_case_phases, fct_handoffs) are read as they
  stood at T, so the same SQL scores the cases open now (T = the run's as-of) and backtests an
  earlier T against what followed (outlook_calibration.py).
- **Landmarks.** A case waiting for e hours is compared with the cases that were still waiting
  at the landmark L, the last of LANDMARK_HOURS at or before e, in the same position there:
  the same channel and priority, and the same phase and holder at L hours into their wait
  (fct_case_phases). Their remaining waits from L on give the curve; conditioning on having
  waited e - L hours more gives the open case's outlook. Where fewer than MIN_KNOWN
  comparable cases still waiting at e have a known outcome over the next 72 hours, the comparison falls back to coarser groups
  (LEVELS: phase and holder, then phase, then every case).
- **Two ways a wait ends.** Smiling and frowning compete: a frown ends the wait without a
  smile. The probability of smiling within h is the Aalen-Johansen cumulative incidence of
  smiling (the Kaplan-Meier curve of the wait, times the share of the ends at each time that are
  smiles), not one minus a Kaplan-Meier curve that would treat frowns as censored (that would
  overstate it by the frowning share, about one case in eight here).
- **Whole hours.** Waits are counted on a grid of whole hours (an end at 24.3 hours counts at
  hour 25), so a case meets at most 720 steps of its group's curve in 30 days: the join stays
  linear in open cases, whatever the history's size.
- **Intervals.** A probability's 90% interval is Wilson's, with n the comparable cases whose
  outcome over the horizon is known (still waiting at e, not censored before e + h); the
  expected remaining wait is the area under the conditional curve over 30 days (a restricted
  mean: the curve past the longest wait seen is unknown), its interval from the area's
  Greenwood variance (Klein & Moeschberger, 4.5).
"""

from __future__ import annotations

import duckdb
import pandas as pd

#: Hours into a wait at which cases are compared: denser early, where most waits end.
LANDMARK_HOURS = (0, 1, 2, 3, 4, 6, 8, 10, 12, 16, 20, 24, 30, 36, 42, 48, 60, 72, 84, 96, 120, 144, 168, 204, 240,
                  288, 336, 420, 504, 600, 720, 900, 1080, 1440, 2160)
#: The fewest comparable cases with a known outcome over LEVEL_HORIZON_HOURS (still waiting at
#: the open case's elapsed time, and not censored within the horizon) for a group to be used.
MIN_KNOWN = 30
LEVEL_HORIZON_HOURS = 72
#: How the comparison coarsens, finest first: a level's columns, and its name in the mart.
LEVELS = (
    (("channel", "priority", "phase", "holder", "weekday"), "channel, priority, phase, holder and weekday"),
    (("phase", "holder", "weekday"), "phase, holder and weekday"),
    (("phase", "weekday"), "phase and weekday"),
    (("weekday",), "weekday"),
    ((), "every case"),
)
HORIZONS = {"24h": 24, "72h": 72, "7d": 168}
#: The expected remaining wait is restricted to this many hours.
RESTRICTED_HOURS = 720
Z90 = 1.6448536269514722

#: The published mart's columns: name -> (DuckDB type, what it holds).
COLUMNS = {
    "case_id": ("bigint", "The open case (ticket id)."),
    "as_of": ("timestamp", "The instant the outlook is for: the run's as-of (UTC)."),
    "account_id": ("varchar", "The customer's account (Salesforce id)."),
    "segment": ("varchar", "The account's segment."),
    "channel": ("varchar", "The ticket's channel."),
    "priority": ("varchar", "The ticket's priority."),
    "phase": ("varchar", "The case's phase now (fct_case_phases)."),
    "holder": ("varchar", "Who holds the case now: a helpdesk group, a Jira project, or the customer."),
    "elapsed_hours": ("double", "How long the customer has waited so far: started_at to as_of, calendar hours."),
    "last_handoff_at": ("timestamp", "The case's last handoff before as_of (UTC); null if none."),
    "last_handoff_carried_context": ("boolean", "Whether context travelled with that handoff (fct_handoffs.carried_context); null if none."),
    "compared_with": ("varchar", "Which cases it is compared with, the finest grouping with enough known outcomes: "
                                 + ", ".join(f"'{name}'" for _, name in LEVELS) + " (docs/decisions.md)."),
    "landmark_hours": ("integer", "The landmark: comparable cases were in the same position this many hours into their wait."),
    "comparable_n": ("bigint", "Comparable cases still waiting after as long as this one has (the curve's risk set)."),
    **{f"p_smile_{h}{suffix}": ("double", text.format(h=h)) for h in HORIZONS for suffix, text in (
        ("", "Probability that the case smiles within {h} (Aalen-Johansen: frowning competes)."),
        ("_ci_lower", "90% interval of p_smile_{h}, lower bound (Wilson, n = n_{h})."),
        ("_ci_upper", "90% interval of p_smile_{h}, upper bound."),
    )},
    **{f"n_{h}": ("bigint", f"Comparable cases whose outcome over {h} is known (not censored within it): the interval's n.")
       for h in HORIZONS},
    "p_frown_7d": ("double", "Probability that the case is solved with a bad rating within 7 days."),
    "expected_remaining_hours": ("double", "Expected further wait until the case is solved (smiling or frowning), "
                                           "restricted to 720 hours (a longer wait counts as 720)."),
    "expected_remaining_hours_ci_lower": ("double", "90% interval of expected_remaining_hours, lower bound (Greenwood)."),
    "expected_remaining_hours_ci_upper": ("double", "90% interval of expected_remaining_hours, upper bound."),
}


def _level_key(columns: tuple[str, ...]) -> str:
    if not columns:
        return "'*'"
    return "concat_ws('|', " + ", ".join(f"coalesce(cast({c} as varchar), '?')" for c in columns) + ")"


def outlook_sql(schema: str = "marts") -> str:
    """The outlook of every case open at the instant bound to `$t`, from `schema`'s per-case facts."""
    landmarks = ", ".join(str(h) for h in LANDMARK_HOURS)
    levels = " union all ".join(
        f"select {i} as level, '{name}' as level_name" for i, (_, name) in enumerate(LEVELS, start=1))
    keyed = lambda alias: " union all ".join(  # noqa: E731 (one row per level, with its group key)
        f"select {i} as level, {_level_key(cols)} as group_key, {alias}.* from {alias}"
        for i, (cols, _) in enumerate(LEVELS, start=1))
    horizon_aggregates = ",\n        ".join(
        f"sum(case when tau <= r0 + {hours} then s_before * d_smile / n_at end) as p_smile_{h},\n"
        f"        sum(case when tau <= r0 + {hours} then censored end) as censored_{h}"
        for h, hours in HORIZONS.items())
    return f"""
with
params as (select cast($t as timestamp) as t),
landmarks as (select unnest([{landmarks}]) as landmark),
-- every case started by T, its wait as it stood at T (hours)
histories as (
    select j.case_id, j.channel, j.priority, j.started_at,
        case when j.smiled_at <= p.t then 'smile'
             when j.smile_status = 'frowning' and j.solved_at <= p.t then 'frown' end as ended_by,
        (epoch(case when j.smiled_at <= p.t then j.smiled_at
                    when j.smile_status = 'frowning' and j.solved_at <= p.t then j.solved_at
                    else p.t end) - epoch(j.started_at)) / 3600.0 as waited_hours
    from {schema}.fct_case_journey j, params p
    -- the cases the helpdesk knew of at T (an impact can start before its ticket is created)
    where j.started_at <= p.t and j.created_at <= p.t
),
-- each history at each landmark it was still waiting at, in the position it was in there
at_landmarks as (
    select h.case_id, h.channel, h.priority, l.landmark, ph.phase, ph.holder,
        isodow(h.started_at + to_seconds(cast(l.landmark * 3600 as bigint))) as weekday,
        cast(ceil(h.waited_hours - l.landmark) as integer) as rest_hours, h.ended_by
    from histories h
    join landmarks l on h.waited_hours > l.landmark
    left join {schema}.fct_case_phases ph
        on ph.case_id = h.case_id
        and ph.segment_start <= h.started_at + to_seconds(cast(l.landmark * 3600 as bigint))
        and ph.segment_end > h.started_at + to_seconds(cast(l.landmark * 3600 as bigint))
),
keyed_histories as ({keyed("at_landmarks")}),
-- each group's curve on the whole-hour grid: ends (by kind) and censorings at each hour, and
-- how many were still waiting there (every history whose rest reaches that hour)
steps as (
    select level, group_key, landmark, rest_hours as tau,
        count(*) filter (where ended_by = 'smile') as d_smile,
        count(*) filter (where ended_by is not null) as d_all,
        count(*) filter (where ended_by is null) as censored,
        count(*) as leaving
    from keyed_histories group by all
),
curves as (
    select *, sum(leaving) over (partition by level, group_key, landmark order by tau desc) as n_at,
        sum(censored) over (partition by level, group_key, landmark order by tau) as censored_to_here
    from steps
),
-- the cases open at T: started, not ended, and not sitting solved before a reopen
positions as (
    select ph.case_id, arg_max(ph.phase, ph.segment_start) as phase, arg_max(ph.holder, ph.segment_start) as holder
    from {schema}.fct_case_phases ph, params p
    where ph.segment_start <= p.t
    group by ph.case_id
),
open_cases as (
    select h.case_id, h.channel, h.priority, pos.phase as current_phase, pos.holder as current_holder,
        h.waited_hours as elapsed_hours,
        (select max(landmark) from landmarks where landmark < h.waited_hours) as landmark
    from histories h join positions pos using (case_id)
    where h.ended_by is null and pos.phase <> 'reopen_gap'
),
-- compared where its comparables are measured: its own position at the landmark
open_positioned as (
    select o.*, al.phase, al.holder, al.weekday, cast(floor(o.elapsed_hours - o.landmark) as integer) as r0
    from open_cases o join at_landmarks al on al.case_id = o.case_id and al.landmark = o.landmark
),
keyed_open as ({keyed("open_positioned")}),
-- at each level: the comparable cases still waiting after as long as the open case (the first
-- step of the curve after r0 holds them all), and how many of them have a known outcome over
-- {LEVEL_HORIZON_HOURS} hours (not censored within them)
at_risk as (
    select o.case_id, o.level, coalesce(first_step.n_at, 0) as comparable_n,
        coalesce(first_step.n_at, 0) - coalesce(to_horizon.censored_to_here, 0) + coalesce(to_r0.censored_to_here, 0)
            as known_n
    from keyed_open o
    asof left join curves first_step on first_step.level = o.level and first_step.group_key = o.group_key
        and first_step.landmark = o.landmark and first_step.tau > o.r0
    asof left join curves to_r0 on to_r0.level = o.level and to_r0.group_key = o.group_key
        and to_r0.landmark = o.landmark and to_r0.tau <= o.r0
    asof left join curves to_horizon on to_horizon.level = o.level and to_horizon.group_key = o.group_key
        and to_horizon.landmark = o.landmark and to_horizon.tau <= o.r0 + {LEVEL_HORIZON_HOURS}
),
chosen as (
    select case_id, coalesce(min(level) filter (where known_n >= {MIN_KNOWN}), {len(LEVELS)}) as level
    from at_risk group by case_id
),
compared as (
    select o.*, r.comparable_n
    from keyed_open o join chosen using (case_id, level) join at_risk r using (case_id, level)
),
-- the open case's path along its group's curve over the next {RESTRICTED_HOURS} hours
path as (
    select o.case_id, o.r0, c.tau, c.d_smile, c.d_all, c.censored, c.n_at,
        -- the conditional survival just after tau: 0 once a step ends every wait left
        case when max(case when c.d_all = c.n_at then 1 else 0 end) over w > 0 then 0.0
             else exp(sum(case when c.d_all < c.n_at then ln(1 - cast(c.d_all as double) / c.n_at) else 0 end) over w) end as s_after
    from compared o
    join curves c on c.level = o.level and c.group_key = o.group_key and c.landmark = o.landmark
        and c.tau > o.r0 and c.tau <= o.r0 + {RESTRICTED_HOURS}
    window w as (partition by o.case_id order by c.tau rows between unbounded preceding and current row)
),
path_pieces as (
    select *, coalesce(lag(s_after) over (partition by case_id order by tau), 1.0) as s_before,
        -- the curve stays at s_after from tau to the next step (or to the horizon)
        s_after * (coalesce(lead(tau) over (partition by case_id order by tau), r0 + {RESTRICTED_HOURS}) - tau) as piece
    from path
),
path_areas as (
    -- the area under the curve from tau to the horizon (Greenwood's A_j)
    select *, sum(piece) over (partition by case_id order by tau rows between current row and unbounded following) as area_after
    from path_pieces
),
summed as (
    select case_id,
        {horizon_aggregates},
        sum(case when tau <= r0 + {HORIZONS['7d']} then s_before * (d_all - d_smile) / n_at end) as p_frown_7d,
        -- waiting surely until the first step, then the area under the curve to the horizon
        min(tau) - max(r0) + max(area_after) as expected_remaining,
        sum(case when d_all < n_at then area_after * area_after * d_all / (n_at * (n_at - d_all)) else 0 end) as area_variance
    from path_areas
    group by case_id
),
last_handoffs as (
    select hf.case_id, max(hf.handoff_at) as last_handoff_at, arg_max(hf.carried_context, hf.handoff_at) as carried
    from {schema}.fct_handoffs hf, params p
    where hf.handoff_at <= p.t
    group by hf.case_id
)
select o.case_id, p.t as as_of, j.account_id, j.segment, o.channel, o.priority, o.current_phase as phase,
    o.current_holder as holder, o.elapsed_hours,
    lh.last_handoff_at, lh.carried as last_handoff_carried_context,
    lv.level_name as compared_with, o.landmark as landmark_hours, o.comparable_n,
    {", ".join(f"coalesce(s.p_smile_{h}, 0.0) as p_smile_{h}, o.comparable_n - coalesce(s.censored_{h}, 0) as n_{h}"
               for h in HORIZONS)},
    coalesce(s.p_frown_7d, 0.0) as p_frown_7d,
    coalesce(s.expected_remaining, {RESTRICTED_HOURS}.0) as expected_remaining_hours,
    coalesce(s.area_variance, 0.0) as area_variance
from compared o
cross join params p
join {schema}.fct_case_journey j using (case_id)
join ({levels}) lv using (level)
left join summed s using (case_id)
left join last_handoffs lh using (case_id)
"""


def wilson(p: pd.Series, n: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Wilson's 90% score interval around the proportion p of n (null where n = 0)."""
    n = n.where(n > 0)
    centre = (p + Z90 ** 2 / (2 * n)) / (1 + Z90 ** 2 / n)
    half = Z90 * ((p * (1 - p) / n + Z90 ** 2 / (4 * n * n)) ** 0.5) / (1 + Z90 ** 2 / n)
    return (centre - half).clip(lower=0.0), (centre + half).clip(upper=1.0)


def open_case_outlook(con: duckdb.DuckDBPyConnection, at: str, schema: str = "marts") -> pd.DataFrame:
    """The mart's rows (COLUMNS) for the cases open at `at` ('YYYY-MM-DD HH:MM:SS', UTC)."""
    frame = con.execute(outlook_sql(schema), {"t": at}).fetchdf()
    for h in HORIZONS:
        frame[f"p_smile_{h}_ci_lower"], frame[f"p_smile_{h}_ci_upper"] = wilson(frame[f"p_smile_{h}"], frame[f"n_{h}"])
    half = Z90 * frame.pop("area_variance").clip(lower=0.0) ** 0.5
    frame["expected_remaining_hours_ci_lower"] = (frame["expected_remaining_hours"] - half).clip(lower=0.0)
    frame["expected_remaining_hours_ci_upper"] = (frame["expected_remaining_hours"] + half).clip(upper=RESTRICTED_HOURS)
    unknown = frame["n_7d"] == 0  # no comparable case says anything about the next days
    frame.loc[unknown, ["expected_remaining_hours_ci_lower", "expected_remaining_hours_ci_upper"]] = None
    return frame[list(COLUMNS)].sort_values("case_id", ignore_index=True)

