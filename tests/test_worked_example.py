"""The hand-made company through the real pipeline: every expected number below is
worked out by hand from metrics.md (see tests/fixtures/handmade_company.py for the
events). Default schedule: Mon-Fri 09:00-17:00 US Eastern; EST (UTC-5) until
2026-03-08, EDT (UTC-4) after."""

from __future__ import annotations

import pytest

from tests.conftest import pseudonym, query

PHASE_COLUMNS = (
    "first_response_hours, support_investigation_hours, engineering_hours, "
    "close_the_loop_hours, waiting_on_customer_hours, reopen_gap_hours"
)


@pytest.fixture(scope="module")
def published(handmade_publication):
    return handmade_publication


def journey(serving, case_id, columns):
    rows = query(serving, f"select {columns} from marts.fct_case_journey where case_id = ?", [case_id])
    assert len(rows) == 1, f"case {case_id}: {rows}"
    return rows[0]


def test_the_29_hour_worked_example(published):
    # created 00:00, reply 00:30, Jira bug linked 04:30 and resolved 28:30, reply+solve 29:00
    assert journey(published, 1, f"smile_status, time_to_smile_hours, {PHASE_COLUMNS}") == (
        "smiling", 29.0, 0.5, 4.0, 24.0, 0.5, 0.0, 0.0
    )


def test_worked_example_segments_and_holders(published):
    rows = query(published, "select phase, holder, calendar_hours, business_hours from marts.fct_case_phases where case_id = 1 order by segment_start")
    # first_response is cut at 00:05 by the first assignment (an assignee change), same phase and holder.
    # Engineering 2026-03-02 04:30 -> 03-03 04:30 UTC covers Monday 09:00-17:00 EST = 14:00-22:00 UTC: 8 business hours.
    assert [(p, h) for p, h, _, _ in rows] == [
        ("first_response", "Tier 1"), ("first_response", "Tier 1"), ("support_investigation", "Tier 1"),
        ("engineering", "PLAT"), ("close_the_loop", "Tier 1"),
    ]
    assert [round(c, 6) for _, _, c, _ in rows] == [round(5 / 60, 6), round(25 / 60, 6), 4.0, 24.0, 0.5]
    assert [b for _, _, _, b in rows] == [0.0, 0.0, 0.0, 8.0, 0.0]


def test_transfer_with_context_pending_and_reopen(published):
    # 10:00 new; 10:30 reply; 11:30 Tier 1 -> Tier 2 (note at 11:00); 12:00-15:00 pending;
    # 16:00 solved; next day 10:00 reopened; 12:00 solved by B.
    row = journey(published, 2, f"smile_status, time_to_smile_hours, {PHASE_COLUMNS}, handoff_count, reopen_count, "
                                "first_owner_id, resolved_by_first_owner, is_first_contact_resolution")
    assert row == ("smiling", 26.0, 0.5, 1.0 + 0.5 + 1.0 + 2.0, 0.0, 0.0, 3.0, 18.0, 1, 1, pseudonym(published, 2001), False, False)
    # business hours (EST): pending 07:00-10:00 -> 1h; 15:00-16:00 UTC = 10-11 -> 1h; reopen gap 11:00-05:00 -> 6h
    rows = query(published, "select phase, holder, business_hours from marts.fct_case_phases where case_id = 2 and business_hours > 0 order by segment_start")
    assert rows == [("waiting_on_customer", "customer", 1.0), ("support_investigation", "Tier 2", 1.0), ("reopen_gap", "Tier 2", 6.0)]


def test_handoffs_and_carried_context(published):
    rows = query(published, "select case_id, from_assignee_id, to_assignee_id, from_group, to_group, to_engineering, carried_context "
                            "from marts.fct_handoffs order by case_id")
    a, b, c = (pseudonym(published, agent) for agent in (2001, 2002, 2003))  # agents are published as pseudonyms
    assert rows == [
        (1, a, None, "Tier 1", "PLAT", True, True),      # bug linked while open; private note 10 min before
        (2, a, b, "Tier 1", "Tier 2", False, True),   # group+assignee in one audit count once; note 30 min before
        (3, a, c, "Tier 1", "Tier 1", False, False),  # reassigned with no note
    ]


def test_frowning_case_is_censored_with_impact_start(published):
    # impact 08:00, created 10:00, reply 10:15, solved 12:00, then a bad rating
    row = journey(published, 3, f"smile_status, time_to_smile_hours, elapsed_hours, smiled_at, {PHASE_COLUMNS}")
    assert row[:4] == ("frowning", None, 4.0, None)
    assert row[4:] == (2.25, 1.75, 0.0, 0.0, 0.0, 0.0)
    holders = query(published, "select holder from marts.fct_case_phases where case_id = 3 order by segment_start limit 1")
    assert holders == [("not yet reported",)]


def test_open_case_runs_to_as_of_and_first_assignment_is_no_handoff(published):
    # created 2026-03-09 20:00, as of 03-10 00:00, no reply; 20:00-21:00 UTC = 16:00-17:00 EDT -> 1 business hour
    row = journey(published, 4, "smile_status, elapsed_hours, first_response_hours, handoff_count, resolved_by_first_owner, is_first_contact_resolution")
    assert row == ("open", 4.0, 4.0, 0, None, None)
    assert query(published, "select sum(business_hours) from marts.fct_case_phases where case_id = 4") == [(1.0,)]


def test_deleted_and_merged_tickets_are_not_cases(published):
    assert query(published, "select case_id from marts.fct_case_journey order by 1") == [(1,), (2,), (3,), (4,), (7,), (8,)]


def test_first_contact_resolution_and_already_resolved_link(published):
    assert journey(published, 7, "is_first_contact_resolution, time_to_smile_hours, channel") == (True, 0.75, "chat")
    # linked to an issue resolved two days earlier: no engineering time and no handoff, but not FCR
    assert journey(published, 8, "engineering_hours, handoff_count, is_first_contact_resolution") == (0.0, 0, False)


def test_phase_hours_sum_to_time_to_smile(published):
    rows = query(published, f"select case_id, time_to_smile_hours, {PHASE_COLUMNS.replace(', ', ' + ')} from marts.fct_case_journey where smile_status = 'smiling'")
    assert rows and all(abs(tts - total) < 1e-9 for _, tts, total in rows)


def test_lifecycle_visits_cycles_and_stage_at_case_start(published):
    rows = query(published, "select stage, cycle_number, days_in_stage from marts.fct_lifecycle_stage_visits "
                            "where account_id = '001000000000000001' order by entered_at")
    # 2025-01-01 Searching, 02-01 Ready to Buy, 03-01 Purchased, 06-01 Implemented, 09-01 back to Purchased
    # (cycle 2), 2026-01-01 Implemented, open until the as-of 2026-03-10 (68 days)
    assert rows == [("Searching", 1, 31.0), ("Ready to Buy", 1, 28.0), ("Purchased", 1, 92.0),
                    ("Implemented", 1, 92.0), ("Purchased", 2, 122.0), ("Implemented", 2, 68.0)]
    assert query(published, "select stage, cycle_number, exited_at from marts.fct_lifecycle_stage_visits where account_id = '001000000000000002'") == [
        ("Post-Installation", 1, None)
    ]
    assert query(published, "select distinct lifecycle_stage from marts.fct_case_journey") == [("Implemented",)]
