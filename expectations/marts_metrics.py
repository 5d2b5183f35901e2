"""The published metric marts: one value per key, catalogued metrics, values in their unit's range, inside their intervals."""

from .core import Suite, at_least, between, is_true, one_of, required, unique

# a value outside [ci_lower, ci_upper] by more than float noise is a wrong interval
NOISE = 1e-9
UNIT_RANGE = """
    case unit when 'fraction' then value between 0 and 1
              when 'score' then value between -100 and 100
              else value >= 0 end"""
WITHIN_INTERVAL = f"(ci_lower is null or ci_lower <= value + {NOISE}) and (ci_upper is null or value <= ci_upper + {NOISE})"


def _weekly(name: str, keys: list[str], extra: list | None = None) -> Suite:
    return Suite(
        name=name,
        table=f"marts.{name}",
        frame=f"""
            select {', '.join(keys)}, value, n, catalog.metric is not null as metric_is_catalogued,
                   {UNIT_RANGE} as value_in_unit_range, {WITHIN_INTERVAL} as value_within_interval
            from marts.{name} left join marts.metric_catalog as catalog using (metric)
        """,
        expectations=lambda previous_rows=None: [
            *required(*keys), unique(*keys), is_true("metric_is_catalogued"), is_true("value_in_unit_range"),
            is_true("value_within_interval"), at_least("n", 0), *(extra or []),
        ],
        blocking=True,
        key=tuple(keys),
    )


def _keyed(name: str, keys: list[str], minimums: dict[str, float], interval: bool = False) -> Suite:
    within = f", {WITHIN_INTERVAL} as value_within_interval" if interval else ""
    return Suite(
        name=name,
        table=f"marts.{name}",
        frame=f"select *{within} from marts.{name}",
        expectations=lambda previous_rows=None: [
            *required(*keys), unique(*keys), *(at_least(c, m) for c, m in minimums.items()),
            *([is_true("value_within_interval")] if interval else []),
        ],
        blocking=True,
        key=tuple(keys),
    )


SUITES = (
    _weekly("metric_weekly", ["metric", "week_start", "segment"]),
    _weekly("metric_weekly_by_dimension", ["metric", "week_start", "dimension", "dimension_value"],
            [one_of("dimension", ["persona", "channel", "priority", "lifecycle_stage"])]),
    _weekly("metric_weekly_summary", ["metric", "week_start"]),
    Suite(
        name="metric_catalog",
        table="marts.metric_catalog",
        frame="select metric, definition, perspective, unit, grain from marts.metric_catalog",
        expectations=lambda previous_rows=None: [
            *required("metric", "definition", "perspective", "unit", "grain"), unique("metric"),
            one_of("perspective", ["customer", "company"]),
        ],
        blocking=True,
        key=("metric",),
    ),
    _keyed("metric_group_target_attainment_weekly", ["week_start", "group_name"], {"n": 0, "value": 0}, interval=True),
    _keyed("metric_sentiment_by_stage", ["lifecycle_stage", "segment"], {"cases": 0, "comments": 0}),
    _keyed("metric_churn_reasons", ["loss_reason"], {"churned_accounts": 1, "lost_arr": 0, "reason_rank": 1}),
    _keyed("metric_open_cases_snapshot", ["segment"], {"open_cases": 0, "white_glove_open_cases": 0, "cases_in_engineering_now": 0}),
    _keyed("metric_stage_velocity", ["cohort_month", "stage"], {"visits": 0, "completed_visits": 0, "median_days": 0}),
    _keyed("metric_agent_transfers", ["agent_id"], {"cases_owned": 0, "handoffs_away": 0}),
    Suite(
        name="metric_experience_drivers",
        table="marts.metric_experience_drivers",
        # a null quartile is a row of its own (outcomes with nothing to measure): 0 in the key
        frame=f"""select outcome, driver, coalesce(quartile, 0) as quartile_or_unmeasured, n, outcomes, value,
                         outcomes <= n as outcomes_within_n, {WITHIN_INTERVAL} as value_within_interval
                  from marts.metric_experience_drivers""",
        expectations=lambda previous_rows=None: [
            *required("outcome", "driver", "n", "outcomes", "value"), unique("outcome", "driver", "quartile_or_unmeasured"),
            one_of("outcome", ["renewal_lost", "nps_detractor"]), between("quartile_or_unmeasured", 0, 4),
            between("value", 0, 1), at_least("n", 1), is_true("outcomes_within_n"), is_true("value_within_interval"),
        ],
        blocking=True,
        key=("outcome", "driver", "quartile_or_unmeasured"),
    ),
    Suite(
        name="metric_experience_driver_effects",
        table="marts.metric_experience_driver_effects",
        # an estimate has its interval around it and its p-value; a row without one says why
        frame="""select outcome, driver, n, outcomes, outcomes <= n as outcomes_within_n,
                        case when odds_ratio_per_sd is null then note is not null
                             else odds_ratio_per_sd > 0 and ci_lower <= odds_ratio_per_sd and odds_ratio_per_sd <= ci_upper
                                  and p_value between 0 and 1 end as estimate_is_whole
                 from marts.metric_experience_driver_effects""",
        expectations=lambda previous_rows=None: [
            *required("outcome", "driver", "n", "outcomes"), unique("outcome", "driver"),
            one_of("outcome", ["renewal_lost", "nps_detractor"]), at_least("n", 0), is_true("outcomes_within_n"),
            is_true("estimate_is_whole"),
        ],
        blocking=True,
        key=("outcome", "driver"),
    ),
)
