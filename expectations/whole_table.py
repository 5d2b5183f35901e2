"""The whole-table facts a mart suite needs when its expectations see only the changed rows.

A per-case incremental mart rewrites only the cases on its build's work list; when the build
before was published, the other rows passed the checks then and have not changed, so the
suite's expectations validate the rewritten rows only (Suite.changed). What no subset can
show is checked here on the whole table, in SQL, and reported as expectation outcomes of the
same shape: the table has not shrunk past the suite's bound (a case that disappears leaves no
row to validate), and its key is present and unique.
"""

from __future__ import annotations

import duckdb
import great_expectations as gx

from .core import Suite
from .runner import ExpectationOutcome

EXAMPLES = 5


def _row_count_floor(suite: Suite, previous_rows: int | None) -> int | None:
    """The suite's own lower bound on the table's rows (core.no_sudden_shrink), if it has one."""
    for expectation in suite.expectations(previous_rows=previous_rows):
        if isinstance(expectation, gx.expectations.ExpectTableRowCountToBeBetween):
            return expectation.min_value
    return None


def whole_table_outcomes(con: duckdb.DuckDBPyConnection, suite: Suite, previous_rows: int | None) -> list[ExpectationOutcome]:
    key = ", ".join(suite.key)
    rows, null_keys = con.execute(
        f"select count(*), count(*) filter (where {' or '.join(f'{c} is null' for c in suite.key)}) from {suite.table}"
    ).fetchone()
    repeated = con.execute(
        f"select {key}, count(*) as copies from {suite.table} where {' and '.join(f'{c} is not null' for c in suite.key)} "
        f"group by all having count(*) > 1 order by copies desc"
    ).fetchall()
    outcomes = [
        ExpectationOutcome("expect_column_values_to_not_be_null", key, null_keys == 0, null_keys, []),
        ExpectationOutcome("expect_column_values_to_be_unique", key, not repeated,
                           sum(copies for *_, copies in repeated), [list(r[:-1]) for r in repeated[:EXAMPLES]]),
    ]
    floor = _row_count_floor(suite, previous_rows)
    if floor is not None:
        outcomes.insert(0, ExpectationOutcome("expect_table_row_count_to_be_between", None, rows >= floor,
                                              max(0, floor - rows), [rows]))
    return outcomes
