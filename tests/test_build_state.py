"""When the dbt build is a full refresh and from which point an incremental one starts
(orchestration/time_to_smile/dbt_build/build_state.py, docs/incremental.md), on a real DuckDB file."""

from __future__ import annotations

import datetime as dt

import pytest

from time_to_smile.dbt_build import build_state
from time_to_smile.warehouse import connect, scalar

DAY1, DAY2 = dt.datetime(2026, 11, 20, 8), dt.datetime(2026, 11, 21, 8)


def _load(con, table: str, record_id: str, loaded_at: dt.datetime) -> None:
    con.execute(f"create table if not exists raw.{table} (record_id varchar, record json, _loaded_at timestamp)")
    con.execute(f"insert into raw.{table} values (?, '{{}}', ?)", [record_id, loaded_at])


def _as_of(con, as_of: dt.datetime) -> None:
    con.execute("create or replace table raw._run_context as select cast(? as timestamp) as as_of", [as_of])


@pytest.fixture
def con(tmp_path):
    with connect(tmp_path / "warehouse.duckdb") as con:
        con.execute("create schema raw")
        _load(con, "zendesk_tickets", "1", DAY1)
        _as_of(con, DAY1)
        yield con


def _changes_since(con):
    return scalar(con, "select changes_since from raw._build_state")


def test_the_first_build_is_full_and_the_next_starts_where_it_ended(con):
    first = build_state.prepare(con)
    assert first.full_refresh_reason == "no complete build yet" and _changes_since(con) is None
    assert first.loaded_through == DAY1
    build_state.record(con, first)
    _load(con, "zendesk_ticket_audits", "10", DAY2)
    _as_of(con, DAY2)
    second = build_state.prepare(con)
    assert not second.full_refresh and second.changes_since == DAY1 and _changes_since(con) == DAY1
    assert second.loaded_through == DAY2 and second.as_of == DAY2
    # the models learn the last build's as-of: stage visits entered since then reach their cases
    assert scalar(con, "select previous_as_of from raw._build_state") == DAY1


def test_a_failed_build_is_not_recorded_so_the_next_starts_from_the_same_point(con):
    build_state.record(con, build_state.prepare(con))
    _load(con, "zendesk_tickets", "2", DAY2)
    build_state.prepare(con)  # ... and dbt fails: nothing recorded
    assert build_state.prepare(con).changes_since == DAY1


def test_a_changed_project_new_ticket_fields_or_the_operator_force_a_full_refresh(con, monkeypatch):
    build_state.record(con, build_state.prepare(con))
    assert build_state.prepare(con, requested_full_refresh=True).full_refresh_reason == "asked for (--full-refresh)"
    _load(con, "zendesk_ticket_fields", "5", DAY2)
    assert build_state.prepare(con).full_refresh_reason == "new records in raw.zendesk_ticket_fields, which every ticket reads"
    assert _changes_since(con) is None  # a full refresh reads every record
    monkeypatch.setattr(build_state, "project_fingerprint", lambda: "another version of the models")
    assert build_state.prepare(con).full_refresh_reason == "the dbt project changed since the last complete build"


@pytest.mark.parametrize("collection", ["zendesk_groups", "zendesk_schedules"])
def test_a_new_group_or_schedule_record_forces_a_full_refresh(con, collection):
    """A group's name is on every segment and the default schedule decides every business hour."""
    build_state.record(con, build_state.prepare(con))
    _load(con, "zendesk_users", "7", DAY2)
    assert not build_state.prepare(con).full_refresh  # a user reaches only the cases they commented on
    _load(con, collection, "3", DAY2)
    assert build_state.prepare(con).full_refresh_reason == f"new records in raw.{collection}, which every ticket reads"


def test_an_as_of_earlier_than_the_last_builds_forces_a_full_refresh(con):
    build_state.record(con, build_state.prepare(con))
    _as_of(con, DAY1 - dt.timedelta(days=1))
    assert build_state.prepare(con).full_refresh_reason == (
        "the as-of instant moved back (or is unknown) since the last complete build")
    assert scalar(con, "select previous_as_of from raw._build_state") is None
