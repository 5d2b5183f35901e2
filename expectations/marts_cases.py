"""The published case marts: keys, the clock's vocabulary, sane durations, phases that add up, no lost cases."""

from .core import Suite, at_least, between, is_true, no_sudden_shrink, one_of, published, required, unique
from .domains import CHANNELS, PHASES

# metrics.md: "The phase hours of a smiling case add up exactly to its Time to Smile."
# Float sums of many segments differ in the last bits, not more.
ROUNDING = 1e-6
# The per-case incremental marts' rows that a build rewrote: the cases on its work list.
RECOMPUTED_CASES = "case_id in (select case_id from intermediate.int_cases_recomputed)"

SUITES = (
    Suite(
        name="fct_case_journey",
        table="marts.fct_case_journey",
        frame=f"""
            select case_id, smile_status, channel, started_at, elapsed_hours, time_to_smile_hours, handoff_count,
                   reopen_count, account_id,
                   -- Time to Smile, where there is one, is the whole elapsed time
                   abs(time_to_smile_hours - elapsed_hours) as smile_gap_hours,
                   first_response_hours + support_investigation_hours + engineering_hours + close_the_loop_hours
                     + waiting_on_customer_hours + reopen_gap_hours - elapsed_hours as phase_columns_gap_hours,
                   coalesce(segments.hours, 0) - elapsed_hours as phase_segments_gap_hours,
                   case when account_id is null then null
                        else {published('account_id', 'fct_account_health')} end as account_is_published
            from marts.fct_case_journey
            left join (select case_id, sum(calendar_hours) as hours from marts.fct_case_phases group by case_id) as segments
                using (case_id)
        """,
        expectations=lambda previous_rows=None: [
            *no_sudden_shrink(previous_rows, 0.10),
            *required("case_id", "smile_status", "started_at", "elapsed_hours"), unique("case_id"),
            one_of("smile_status", ["open", "frowning", "smiling"]),
            # the vendor's channels (sources.md); anything else means the helpdesk changed under us
            one_of("channel", CHANNELS),
            at_least("elapsed_hours", 0), at_least("time_to_smile_hours", 0),
            at_least("handoff_count", 0), at_least("reopen_count", 0),
            between("smile_gap_hours", 0, ROUNDING),
            between("phase_columns_gap_hours", -ROUNDING, ROUNDING),
            between("phase_segments_gap_hours", -ROUNDING, ROUNDING),
            is_true("account_is_published"),
        ],
        blocking=True,
        key=("case_id",),
        changed=RECOMPUTED_CASES,
    ),
    Suite(
        name="fct_case_phases",
        table="marts.fct_case_phases",
        frame=f"""
            select case_id, phase, holder, calendar_hours, business_hours, segment_start, segment_end,
                   segment_end > segment_start as ends_after_start,
                   {published('case_id', 'fct_case_journey')} as case_is_published,
                   -- (case_id, segment_start) is the key. Checked here: GX's compound uniqueness
                   -- (pandas' duplicated) took 3.1 s of this suite's 5 s on 4M segments
                   repeated.case_id is null as only_segment_at_its_start
            from marts.fct_case_phases
            left join (
                select case_id, segment_start from marts.fct_case_phases
                group by case_id, segment_start having count(*) > 1
            ) as repeated using (case_id, segment_start)
        """,
        expectations=lambda previous_rows=None: [
            *required("case_id", "phase", "holder", "segment_start", "segment_end"),
            is_true("only_segment_at_its_start"), one_of("phase", PHASES),
            at_least("calendar_hours", 0, strict=True), at_least("business_hours", 0),
            is_true("ends_after_start"), is_true("case_is_published"),
        ],
        blocking=True,
        key=("case_id", "segment_start"),
        changed=RECOMPUTED_CASES,
    ),
    Suite(
        name="fct_handoffs",
        table="marts.fct_handoffs",
        frame=f"""
            select handoff_id, case_id, handoff_at, to_engineering, carried_context,
                   {published('case_id', 'fct_case_journey')} as case_is_published
            from marts.fct_handoffs
        """,
        expectations=lambda previous_rows=None: [
            *required("handoff_id", "case_id", "handoff_at", "to_engineering", "carried_context"),
            unique("handoff_id"), is_true("case_is_published"),
        ],
        blocking=True,
        key=("handoff_id",),
        changed=RECOMPUTED_CASES,
    ),
    Suite(
        name="fct_comment_sentiment",
        table="marts.fct_comment_sentiment",
        frame=f"""
            select comment_id, case_id, commented_at, sentiment, sentiment_compound,
                   {published('case_id', 'fct_case_journey')} as case_is_published
            from marts.fct_comment_sentiment
        """,
        expectations=lambda previous_rows=None: [
            *required("comment_id", "case_id", "commented_at", "sentiment"), unique("comment_id"),
            one_of("sentiment", ["positive", "negative", "neutral"]), between("sentiment_compound", -1, 1),
            is_true("case_is_published"),
        ],
        blocking=True,
        key=("comment_id",),
        changed=RECOMPUTED_CASES,
    ),
    Suite(
        name="fct_open_case_outlook",
        table="marts.fct_open_case_outlook",
        # each probability inside its interval; the longer horizon at least as likely; smiling and
        # frowning within 7 days are two of the ways a wait ends, so they add up to at most 1
        frame=f"""
            select case_id, compared_with, elapsed_hours, comparable_n, n_24h, n_72h, n_7d, expected_remaining_hours,
                   p_smile_24h, p_smile_72h, p_smile_7d, p_frown_7d,
                   (p_smile_24h_ci_lower is null or p_smile_24h between p_smile_24h_ci_lower - {ROUNDING} and p_smile_24h_ci_upper + {ROUNDING})
                   and (p_smile_72h_ci_lower is null or p_smile_72h between p_smile_72h_ci_lower - {ROUNDING} and p_smile_72h_ci_upper + {ROUNDING})
                   and (p_smile_7d_ci_lower is null or p_smile_7d between p_smile_7d_ci_lower - {ROUNDING} and p_smile_7d_ci_upper + {ROUNDING})
                   and (expected_remaining_hours_ci_lower is null or expected_remaining_hours between
                        expected_remaining_hours_ci_lower - {ROUNDING} and expected_remaining_hours_ci_upper + {ROUNDING})
                       as estimates_within_intervals,
                   p_smile_24h <= p_smile_72h + {ROUNDING} and p_smile_72h <= p_smile_7d + {ROUNDING}
                   and p_smile_7d + p_frown_7d <= 1 + {ROUNDING} as horizons_in_order,
                   n_7d <= n_72h and n_72h <= n_24h and n_24h <= comparable_n as known_within_comparable,
                   {published('case_id', 'fct_case_journey')} as case_is_published
            from marts.fct_open_case_outlook
        """,
        expectations=lambda previous_rows=None: [
            *required("case_id", "compared_with", "elapsed_hours", "comparable_n", "p_smile_24h", "p_smile_72h",
                      "p_smile_7d", "p_frown_7d", "expected_remaining_hours"),
            unique("case_id"), at_least("elapsed_hours", 0), at_least("comparable_n", 0),
            *(between(c, 0, 1) for c in ("p_smile_24h", "p_smile_72h", "p_smile_7d", "p_frown_7d")),
            between("expected_remaining_hours", 0, 720), is_true("estimates_within_intervals"),
            is_true("horizons_in_order"), is_true("known_within_comparable"), is_true("case_is_published"),
        ],
        blocking=True,
        key=("case_id",),
    ),
)
