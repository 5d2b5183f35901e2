"""Every weekly metric of the hand-made company against values worked out by hand from
metrics.md (events in tests/fixtures/handmade_company.py; as of 2026-03-10 00:00).

Week of 2026-03-02 (Monday): cases 1, 2, 7, 8 started; all Acme (Enterprise), all solved.
Week of 2026-03-09: case 3 (frowning, solved) and case 4 (open, no reply yet).
The interval formulas are written out again here, independently of the SQL macros."""

from __future__ import annotations

import json
import math

import pytest

from tests.conftest import dbt_env, pseudonym, query

Z = 1.6448536269514722  # 90% two-sided
W1, W2 = "2026-03-02", "2026-03-09"


def wilson(successes, n):
    p = successes / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return p, centre - half, centre + half, n


@pytest.fixture(scope="module")
def weekly(handmade_publication):
    rows = query(handmade_publication, "select metric, cast(week_start as varchar), segment, value, ci_lower, ci_upper, n from marts.metric_weekly")
    return {(m, w, s): (v, lo, hi, n) for m, w, s, v, lo, hi, n in rows}


def check(weekly, metric, week, expected, segment="All"):
    actual = weekly[(metric, week, segment)]
    for got, want in zip(actual, expected):
        if want is None:
            assert got is None, (metric, week, segment, actual, expected)
        else:
            assert got == pytest.approx(want, abs=1e-9), (metric, week, segment, actual, expected)


def test_time_to_smile_kaplan_meier(weekly):
    # W1 events at 0.75 (case 7), 2 (8), 26 (2), 29 (1): S = .75, .5, .25, 0
    # median: first S <= .5 -> 2; interval at .5 -/+ 1.645*sqrt(.25/4) = .5 -/+ .411: S <= .911 -> .75, S <= .089 -> 29
    check(weekly, "time_to_smile_median_hours", W1, (2.0, 0.75, 29.0, 4))
    # p90: first S <= .1 -> 29; interval .9 -/+ 1.645*sqrt(.09/4) = .9 -/+ .247: S <= .347 -> 26; upper beyond 1 -> none
    check(weekly, "time_to_smile_p90_hours", W1, (29.0, 26.0, None, 4))
    # W2: case 3 frowning and case 4 open are both censored at 4 h: no smile yet, nothing to estimate
    check(weekly, "time_to_smile_median_hours", W2, (None, None, None, 2))


def test_first_reply_median(weekly):
    # W1 replies after 1/6 (case 8), 0.5 (1), 0.5 (2), 0.75 (7) h: S = .75, .25, 0 -> median 0.5, interval [1/6, 0.75]
    check(weekly, "first_reply_hours_median", W1, (0.5, 1 / 6, 0.75, 4))
    # W2 case 3 replied after 0.25 h; case 4 censored at 4 h (no reply by the as-of): S(0.25) = 1/2
    check(weekly, "first_reply_hours_median", W2, (0.25, 0.25, None, 2))


def test_rates_over_solved_cases(weekly):
    # W1: first owner solved 1, 7, 8 (not 2: B solved after A) -> 3/4
    check(weekly, "owner_resolution_rate", W1, wilson(3, 4))
    # W1: only case 7 (one reply, no handoff/reopen/issue) -> 1/4; case 8 had an issue linked
    check(weekly, "first_contact_resolution_rate", W1, wilson(1, 4))
    check(weekly, "reopen_rate", W1, wilson(1, 4))  # case 2
    # requester R opened ticket 2 within 7 days of solves of 1 and 8, ticket 3 within 7 days of 2's; R2 (case 7) never again
    check(weekly, "repeat_contact_rate", W1, wilson(3, 4))
    # W2: case 3 solved by C, not A; R opened ticket 4 eight hours later
    check(weekly, "owner_resolution_rate", W2, wilson(0, 1))
    check(weekly, "repeat_contact_rate", W2, wilson(1, 1))


def test_handoffs_per_case_and_context(weekly):
    # W1 handoff counts 1, 1, 0, 0: mean .5, sample sd sqrt(1/3); .5 -/+ 1.645*sqrt(1/3)/2
    sd = math.sqrt(1 / 3)
    check(weekly, "handoffs_per_case", W1, (0.5, 0.5 - Z * sd / 2, 0.5 + Z * sd / 2, 4))
    # W2 counts 1 (case 3), 0 (case 4): mean .5, sd sqrt(.5); the lower bound is floored at 0
    sd = math.sqrt(0.5)
    check(weekly, "handoffs_per_case", W2, (0.5, 0.0, 0.5 + Z * sd / math.sqrt(2), 2))
    check(weekly, "handoff_context_rate", W1, wilson(2, 2))  # cases 1 and 2 both carried a note
    check(weekly, "handoff_context_rate", W2, wilson(0, 1))  # case 3's reassignment did not


def test_csat_by_week_given(weekly):
    check(weekly, "csat", W1, wilson(1, 1))  # case 1 rated good on 03-03
    check(weekly, "csat", W2, wilson(0, 1))  # case 3 rated bad on 03-09


def test_nps_with_promoters_passives_and_detractors(weekly):
    def nps(scores):
        s = [1 if x >= 9 else -1 if x <= 6 else 0 for x in scores]
        n, mean = len(s), sum(s) / len(s)
        se = math.sqrt((sum(v * v for v in s) / n - mean * mean) / n)
        return 100 * mean, max(-100, 100 * (mean - Z * se)), min(100, 100 * (mean + Z * se)), n

    check(weekly, "nps", W1, nps([9, 10, 7, 3, 2]))
    assert weekly[("nps", W1, "All")][0] == 0.0  # 2 promoters, 2 detractors of 5
    check(weekly, "nps", W1, nps([9, 10, 7, 3]), segment="Enterprise")  # 25
    check(weekly, "nps", W1, (-100.0, -100.0, -100.0, 1), segment="SMB")


def test_churn_rate_from_closed_renewals(weekly):
    check(weekly, "churn_rate", W1, wilson(1, 2))  # Acme renewed, Globex lost ("Price"); the open renewal does not count
    check(weekly, "churn_rate", W1, wilson(1, 1), segment="SMB")
    check(weekly, "churn_rate", W1, wilson(0, 1), segment="Enterprise")


def test_segment_rows_beside_all(weekly):
    # every W1 case is Acme's (Enterprise): the Enterprise rows equal the All rows
    for metric in ("time_to_smile_median_hours", "owner_resolution_rate", "handoffs_per_case"):
        assert weekly[(metric, W1, "Enterprise")] == weekly[(metric, W1, "All")]
    assert ("owner_resolution_rate", W1, "SMB") not in weekly  # Globex had no cases


def test_catalog_names_every_metric_with_its_perspective(handmade_publication, weekly):
    catalog = dict(query(handmade_publication, "select metric, perspective from marts.metric_catalog"))
    weekly_grain = {m for (m,) in query(handmade_publication, "select metric from marts.metric_catalog where grain = 'ISO week x segment'")}
    # the weekly-grain entries are exactly the metrics of metric_weekly; the rest have their own marts
    assert weekly_grain == {m for m, _, _ in weekly}
    assert {"positive_comments_per_case", "bug_stack_rank", "utilization", "churn_reasons_ranked"} <= set(catalog) - weekly_grain
    required = ("time_to_smile_median_hours time_to_smile_p90_hours handoffs_per_case handoff_context_rate owner_resolution_rate "
                "first_contact_resolution_rate first_reply_hours_median repeat_contact_rate reopen_rate csat nps churn_rate")
    assert set(required.split()) <= set(catalog)
    assert catalog["time_to_smile_median_hours"] == "customer" and catalog["handoff_context_rate"] == "company"


def test_comment_sentiment_per_stage_per_case(handmade_publication):
    # end users' public comments on cases, all while Acme was Implemented (cycle 2):
    # "It is broken" opening each of the 6 cases (VADER -0.48, negative), on case 2 "Here they are"
    # (0, neutral) and "Still broken" (negative), on case 7 "Thanks, that works great!" (+0.81, positive)
    labels = query(handmade_publication, "select sentiment, count(*) from marts.fct_comment_sentiment group by 1 order by 1")
    assert labels == [("negative", 7), ("neutral", 1), ("positive", 1)]
    # 6 cases attributed to Implemented: 1/6 positive and 7/6 negative comments per case
    assert query(handmade_publication, "select cases, comments, positive_comments_per_case, negative_comments_per_case "
                                       "from marts.metric_sentiment_by_stage where segment = 'All'") == [(6, 9, 1 / 6, 7 / 6)]
    # the published comment table carries no text
    columns = {c for (c,) in query(handmade_publication, "select column_name from information_schema.columns where table_name = 'fct_comment_sentiment'")}
    assert not columns & {"body", "comment_body", "text"}


def test_service_metrics_beside_the_customers(weekly):
    # first replies in business hours (Mon-Fri 09-17 Eastern): cases 1, 2, 8 were answered before
    # 09:00 EST (0 h), case 7 10:00-10:45 EST (0.75 h). KM: three events at 0 -> S(0) = .25, median 0
    check(weekly, "first_reply_business_hours_median", W1, (0.0, 0.0, 0.75, 4))
    # W2: case 3 answered 06:15 EDT (0 h); case 4 unanswered, 1 business hour (16-17 EDT) -> censored
    check(weekly, "first_reply_business_hours_median", W2, (0.0, 0.0, None, 2))
    # targets (normal priority: 8 business hours): all W1 replies met; W2 case 4 is still inside its target
    check(weekly, "first_reply_target_attainment", W1, wilson(4, 4))
    check(weekly, "first_reply_target_attainment", W2, wilson(1, 1))
    # AHT: every solved ticket logged 600 s; one case gives no spread, so no interval
    check(weekly, "handle_time_mean_seconds", W1, (600.0, 600.0, 600.0, 4))
    check(weekly, "handle_time_mean_seconds", W2, (600.0, None, None, 1))
    # Acme prefers email and chat: case 8 came by web
    check(weekly, "channel_adherence_rate", W1, wilson(3, 4))
    # support stints (W1: case 1 twice, case 2 three times, 7, 8) all within Tier 1's 4 h / Tier 2's 8 h
    check(weekly, "internal_target_attainment", W1, wilson(7, 7))


def test_account_health_churn_reasons_and_open_cases(handmade_publication):
    rows = query(handmade_publication, "select account_id, utilization, is_renewal_at_risk, has_churned, lost_arr, agents_in_contact_90d, open_cases "
                                       "from marts.fct_account_health order by 1")
    # Acme: 40 of 100 seats, renewal 2026-04-01 (22 days after the as-of): at risk; agents A, B, C replied publicly
    # Globex: 9 of 10 seats; its renewal closed lost ("Price"), ARR 8000
    assert rows == [("001000000000000001", 0.4, True, False, 0.0, 3, 1),
                    ("001000000000000002", 0.9, False, True, 8000.0, 0, 0)]
    assert query(handmade_publication, "select loss_reason, churned_accounts, lost_arr, reason_rank from marts.metric_churn_reasons") == [("Price", 1, 8000.0, 1)]
    # case 4 is open, Acme is white glove, and its last phase is first_response
    assert query(handmade_publication, "select open_cases, white_glove_open_cases, cases_in_engineering_now "
                                       "from marts.metric_open_cases_snapshot where segment = 'All'") == [(1, 1, 0)]


def test_bug_stack_rank(handmade_publication):
    # both bugs touch one case of Acme (ARR 120000): the tie is broken by key; PLAT-1 caused the
    # worked example's 24 engineering hours, PLAT-2 was already resolved when linked
    assert query(handmade_publication, "select stack_rank, issue_key, linked_cases, linked_accounts, linked_arr, engineering_hours_caused "
                                       "from marts.fct_bug_stack_rank order by stack_rank") == [
        (1, "PLAT-1", 1, 1, 120000.0, 24.0), (2, "PLAT-2", 1, 1, 120000.0, 0.0)]


def test_stage_velocity_by_cohort_and_cycles(handmade_publication):
    rows = query(handmade_publication, "select cast(cohort_month as varchar), stage, visits, completed_visits, median_days, cohort_accounts_cycled_back "
                                       "from marts.metric_stage_velocity order by 1, 2")
    # Acme (cohort 2025-01): Implemented 92 days (ended) and 68 so far (censored): S(92) = 0 -> 92;
    # Purchased 92 and 122 days, both ended: S(92) = .5 -> 92; Searching 31, Ready to Buy 28; it cycled back once.
    # Globex (cohort 2025-06): one unfinished visit: no median yet.
    assert rows == [
        ("2025-01-01", "Implemented", 2, 1, 92.0, 1), ("2025-01-01", "Purchased", 2, 2, 92.0, 1),
        ("2025-01-01", "Ready to Buy", 1, 1, 28.0, 1), ("2025-01-01", "Searching", 1, 1, 31.0, 1),
        ("2025-06-01", "Post-Installation", 1, 0, None, 0),
    ]


def test_transfers_per_agent(handmade_publication):
    # A owned cases 1, 2, 3, 4, 7, 8 and handed off 1 (to engineering, with a note), 2 (with a note), 3 (without)
    a, b, c = (pseudonym(handmade_publication, agent) for agent in (2001, 2002, 2003))
    assert sorted(query(handmade_publication, "select agent_id, cases_owned, handoffs_away, handoffs_with_context, "
                                              "transfers_per_case_owned from marts.metric_agent_transfers")) == sorted([
        (a, 6, 3, 2, 0.5), (b, 1, 0, 0, 0.0), (c, 1, 0, 0, 0.0)])


def test_weekly_summary_this_week_against_last(handmade_publication):
    # as of Tuesday 2026-03-10, "this week" is the last full week: 2026-03-02; there is no week before it
    rows = dict((m, (str(w), v, last, flag)) for m, w, v, last, flag in query(
        handmade_publication, "select metric, week_start, value, last_week_value, is_significant_move from marts.metric_weekly_summary"))
    assert rows["time_to_smile_median_hours"] == ("2026-03-02", 2.0, None, False)
    assert rows["churn_rate"] == ("2026-03-02", 0.5, None, False)


def test_every_published_column_is_documented(handmade_publication):
    import json

    from time_to_smile.settings import DBT_PROJECT_DIR

    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    documented = {node["name"]: {c for c, spec in node["columns"].items() if spec.get("description")}
                  for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    # the marts computed in Python document their columns beside their code (their assets' column schema)
    from time_to_smile.statistics import PYTHON_MART_COLUMNS
    for mart, columns in PYTHON_MART_COLUMNS.items():
        documented[mart] = {c for c, (_, description) in columns.items() if description}
    published = query(handmade_publication, "select table_name, column_name from information_schema.columns where table_schema = 'marts' and table_name <> 'publication'")
    missing = sorted(f"{t}.{c}" for t, c in published if c not in documented.get(t, set()))
    assert missing == []


def test_dbt_docs_generate_runs(handmade_publication, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from time_to_smile.settings import DBT_PROJECT_DIR

    proc = subprocess.run([str(Path(sys.executable).parent / "dbt"), "docs", "generate", "--profiles-dir", ".", "--target-path", str(tmp_path)],
                          cwd=DBT_PROJECT_DIR, env=dbt_env(handmade_publication.parent), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:]
    catalog = json.loads((tmp_path / "catalog.json").read_text())
    assert "model.time_to_smile.fct_case_journey" in catalog["nodes"]


def test_case_metrics_cut_by_channel_and_other_dimensions(handmade_publication):
    rows = {(m, d, v): (value, n) for m, d, v, value, n in query(
        handmade_publication, "select metric, dimension, dimension_value, value, n from marts.metric_weekly_by_dimension where week_start = '2026-03-02'")}
    # W1 by channel: email = cases 1 (29 h) and 2 (26 h): S(26) = .5 -> 26; chat = case 7 (0.75 h); web = case 8 (2 h)
    assert rows[("time_to_smile_median_hours", "channel", "email")] == (26.0, 2)
    assert rows[("time_to_smile_median_hours", "channel", "chat")] == (0.75, 1)
    assert rows[("time_to_smile_median_hours", "channel", "web")] == (2.0, 1)
    # handoffs: both email cases were handed off once, chat and web never
    assert rows[("handoffs_per_case", "channel", "email")] == (1.0, 2)
    # all four are Acme (persona Admin), normal priority, Implemented: those cuts equal the whole week
    for dimension, value in (("persona", "Admin"), ("priority", "normal"), ("lifecycle_stage", "Implemented")):
        assert rows[("time_to_smile_median_hours", dimension, value)] == (2.0, 4)
    assert not any(m == "channel_adherence_rate" and d == "channel" for m, d, _ in rows)


def test_where_the_time_went_phase_means(weekly):
    # W1 phase hours per case (1, 2, 7, 8): first response .5, .5, .75, 1/6; support 4, 4.5, 0, 11/6;
    # engineering 24, 0, 0, 0; close the loop .5, 0, 0, 0; waiting 0, 3, 0, 0; reopen gap 0, 18, 0, 0
    expected = {"first_response": (0.5 + 0.5 + 0.75 + 1 / 6) / 4, "support_investigation": (4 + 4.5 + 11 / 6) / 4,
                "engineering": 6.0, "close_the_loop": 0.125, "waiting_on_customer": 0.75, "reopen_gap": 4.5}
    for phase, mean in expected.items():
        value, _, _, n = weekly[(f"{phase}_hours_mean", W1, "All")]
        assert (value, n) == (pytest.approx(mean), 4), phase
    # the phase means add up to the mean elapsed time of the week's cases: (29 + 26 + .75 + 2) / 4
    assert sum(weekly[(f"{p}_hours_mean", W1, "All")][0] for p in expected) == pytest.approx((29 + 26 + 0.75 + 2) / 4)


def test_internal_target_attainment_per_group(handmade_publication):
    rows = query(handmade_publication, "select cast(week_start as varchar), group_name, target_business_hours, value, n "
                                       "from marts.metric_group_target_attainment_weekly order by 1, 2")
    # W1 Tier 1 stints: case 1 twice (before and after engineering), 2, 7, 8; Tier 2: case 2 twice (around the pending wait)
    assert rows == [("2026-03-02", "Tier 1", 4.0, 1.0, 5), ("2026-03-02", "Tier 2", 8.0, 1.0, 2), ("2026-03-09", "Tier 1", 4.0, 1.0, 2)]


def test_sentiment_per_case_interval(handmade_publication):
    # 7 negative comments over 6 cases: (7 -/+ 1.645 sqrt(7)) / 6
    lower, upper = query(handmade_publication, "select negative_per_case_ci_lower, negative_per_case_ci_upper "
                                               "from marts.metric_sentiment_by_stage where segment = 'All'")[0]
    assert (lower, upper) == (pytest.approx((7 - Z * math.sqrt(7)) / 6), pytest.approx((7 + Z * math.sqrt(7)) / 6))
