"""The whole-table facts a mart suite reads beside its changed rows (expectations/whole_table.py),
on a small DuckDB table made by hand: a shrink past the suite's bound, a null key, a repeated key."""

import duckdb

from expectations.core import Suite, no_sudden_shrink, required
from expectations.whole_table import whole_table_outcomes

SUITE = Suite(name="cases", table="marts.cases", frame="select * from marts.cases",
              expectations=lambda previous_rows=None: [*no_sudden_shrink(previous_rows, 0.10), *required("case_id")],
              blocking=True, key=("case_id",), changed="case_id in (select 1)")


def _outcomes(rows, previous_rows):
    con = duckdb.connect()
    con.execute("create schema marts; create table marts.cases (case_id integer)")
    con.executemany("insert into marts.cases values (?)", [[r] for r in rows])
    return {o.expectation: o for o in whole_table_outcomes(con, SUITE, previous_rows)}


def test_a_sound_table_passes_every_fact():
    outcomes = _outcomes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], previous_rows=10)
    assert all(o.success for o in outcomes.values()) and len(outcomes) == 3


def test_a_shrink_a_null_key_and_a_repeated_key_are_each_reported():
    # 10 published, 8 now (bound: 9), one of them null, case 3 three times
    outcomes = _outcomes([1, 2, 3, 3, 3, 6, 7, None], previous_rows=10)
    shrink = outcomes["expect_table_row_count_to_be_between"]
    assert (shrink.success, shrink.unexpected_count, shrink.unexpected_examples) == (False, 1, [8])
    nulls = outcomes["expect_column_values_to_not_be_null"]
    assert (nulls.success, nulls.unexpected_count) == (False, 1)
    repeated = outcomes["expect_column_values_to_be_unique"]
    assert (repeated.success, repeated.unexpected_count, repeated.unexpected_examples) == (False, 3, [[3]])


def test_without_a_publication_there_is_no_row_count_bound():
    assert "expect_table_row_count_to_be_between" not in _outcomes([1], previous_rows=None)
