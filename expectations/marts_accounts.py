"""The published account, engineering and data-quality marts."""

from .core import Suite, at_least, is_true, no_sudden_shrink, one_of, published, required, unique
from .domains import LIFECYCLE_STAGES, SEGMENTS

SUITES = (
    Suite(
        name="fct_account_health",
        table="marts.fct_account_health",
        frame="""
            select account_id, segment, lifecycle_stage, arr, licensed_seats, active_users, utilization, lost_arr,
                   open_cases, has_churned, churned_on,
                   -- lost ARR belongs to churned accounts only
                   lost_arr = 0 or has_churned as lost_arr_means_churned
            from marts.fct_account_health
        """,
        expectations=lambda previous_rows=None: [
            *no_sudden_shrink(previous_rows, 0.10),
            *required("account_id", "segment", "lifecycle_stage", "has_churned"), unique("account_id"),
            one_of("segment", SEGMENTS), one_of("lifecycle_stage", LIFECYCLE_STAGES),
            at_least("arr", 0), at_least("licensed_seats", 0), at_least("active_users", 0), at_least("utilization", 0),
            at_least("lost_arr", 0), at_least("open_cases", 0), is_true("lost_arr_means_churned"),
        ],
        blocking=True,
        key=("account_id",),
    ),
    Suite(
        name="fct_lifecycle_stage_visits",
        table="marts.fct_lifecycle_stage_visits",
        frame=f"""
            select account_id, stage, cycle_number, visit_number, entered_at, days_in_stage,
                   exited_at is null or exited_at >= entered_at as exits_after_entering,
                   {published('account_id', 'fct_account_health')} as account_is_published
            from marts.fct_lifecycle_stage_visits
        """,
        expectations=lambda previous_rows=None: [
            *required("account_id", "stage", "cycle_number", "visit_number", "entered_at"),
            unique("account_id", "visit_number"), one_of("stage", LIFECYCLE_STAGES),
            at_least("cycle_number", 1), at_least("days_in_stage", 0),
            is_true("exits_after_entering"), is_true("account_is_published"),
        ],
        blocking=True,
        key=("account_id", "visit_number"),
    ),
    Suite(
        name="fct_bug_stack_rank",
        table="marts.fct_bug_stack_rank",
        frame="select stack_rank, issue_id, issue_key, status_category, linked_cases, linked_arr, engineering_hours_caused from marts.fct_bug_stack_rank",
        expectations=lambda previous_rows=None: [
            *required("stack_rank", "issue_id", "issue_key"), unique("stack_rank"), unique("issue_id"),
            one_of("status_category", ["new", "indeterminate", "done"]),
            at_least("stack_rank", 1), at_least("linked_cases", 1), at_least("linked_arr", 0),
            at_least("engineering_hours_caused", 0),
        ],
        blocking=True,
        key=("issue_id",),
    ),
    Suite(
        name="data_quality",
        table="marts.data_quality",
        frame="select stage, collection, reason, records, files from marts.data_quality",
        expectations=lambda previous_rows=None: [
            *required("stage", "collection", "reason", "records"), unique("stage", "collection", "reason"),
            one_of("stage", ["load", "validation"]), at_least("records", 1, strict=False),
        ],
        blocking=True,
        key=("stage", "collection", "reason"),
    ),
)
