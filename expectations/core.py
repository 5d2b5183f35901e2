"""What a suite is, and the SQL and expectation helpers the suite modules share.

A suite names the table it guards, the SQL that selects the rows to validate
(its *frame*: only the columns its expectations read, plus any cross-table
facts such as "is this requester a known user?"), and its expectations.

- Raw suites validate only the records a run added: their frame takes one
  parameter, the run's start, and reads `_loaded_at >= ?`. They warn: the
  validation models hold bad records back, so a warning is a report, not a stop.
- Mart suites validate what is about to be published, and block it: whole, or for a
  per-case incremental mart after a published build, the rows its build rewrote
  (`Suite.changed`) and the whole table's size and key (whole_table.py).

The suite modules import this module and `domains`; `suites` imports the suite modules
(the registry), so nothing here imports a suite.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import great_expectations as gx

E = gx.expectations

# json_type() names: ids arrive as JSON numbers (Zendesk) or strings (Jira, Salesforce)
NUMBER = ["UBIGINT", "BIGINT", "DOUBLE"]
INTEGER = ["UBIGINT", "BIGINT"]
TEXT = ["VARCHAR"]
# a timestamp the warehouse can read: ISO 8601 text (any offset) or epoch seconds
TIMESTAMP = ["VARCHAR", "UBIGINT", "BIGINT", "DOUBLE"]


@dataclass(frozen=True)
class Suite:
    name: str  # the Dagster check is gx_<name>
    table: str  # schema.table: the asset the check is attached to
    frame: str  # SQL selecting the rows and columns to validate
    expectations: Callable[[int | None], list]  # given the published row count (None before the first publication)
    blocking: bool
    key: tuple[str, ...] = ("record_id",)  # the frame's columns that name a row, for failure examples
    # A mart built incrementally per case: SQL over the frame's columns naming the rows this
    # run's build rewrote. When the build before was published, only those rows are validated
    # by the expectations, and the whole table's size and key by SQL (expectations/whole_table.py).
    changed: str | None = None

    @property
    def incremental(self) -> bool:
        """Raw frames read only what the run added (one `?`: the run's start, UTC)."""
        return "?" in self.frame


# A column's SQL names the JSON type or the text at a path with these placeholders; raw_frame
# reads every type a suite needs from a record in one json_type call and every text in one
# json_extract_string call, so a record is parsed twice at most, not once per column (a
# million-ticket first load's ticket frame: 4.7 s to 2.3 s).
_PLACEHOLDER = re.compile(r"__(type|text)\('([^']*)'\)")
_READERS = {"type": "json_type", "text": "json_extract_string"}


def raw_frame(table: str, columns: dict[str, str]) -> str:
    """The records of `raw.<table>` loaded in this run, with the named SQL expressions over `record`."""
    paths = {kind: list(dict.fromkeys(path for sql in columns.values() for k, path in _PLACEHOLDER.findall(sql) if k == kind))
             for kind in _READERS}

    def read(match: re.Match) -> str:
        kind, path = match.groups()
        return f"{kind}s[{paths[kind].index(path) + 1}]"

    select = ",\n    ".join(f"{_PLACEHOLDER.sub(read, sql)} as {name}" for name, sql in columns.items())
    reads = "".join(f", {_READERS[kind]}(record, [{', '.join(repr(p) for p in kind_paths)}]) as {kind}s"
                    for kind, kind_paths in paths.items() if kind_paths)
    return (f"select record_id,\n    {select}\nfrom (\n    select record_id{reads}"
            f"\n    from raw.{table}\n    where _loaded_at >= ?\n)")


def timestamp_text(column: str) -> str:
    """Whether a typed column's text is a timestamp the warehouse can read (ISO 8601, any offset,
    or epoch seconds): the text-column counterpart of TIMESTAMP."""
    return (f"(try_cast({column} as timestamptz) is not null"
            f" or regexp_full_match({column}, '[0-9]{{9,11}}(\\.[0-9]+)?'))")


def json_kind(path: str) -> str:
    """The JSON type at `path` ('NULL' for an explicit null, SQL null when the key is missing)."""
    return f"__type('{path}')"


def text(path: str) -> str:
    return f"__text('{path}')"


def number(path: str) -> str:
    return f"try_cast({text(path)} as double)"


def known(path: str, parent_table: str) -> str:
    """Whether the id at `path` names a record of `raw.<parent_table>`; null when there is no id."""
    return f"case when {text(path)} is null then null else {text(path)} in (select record_id from raw.{parent_table}) end"


def published(key: str, mart: str) -> str:
    """Whether the row's `key` names a row of `marts.<mart>`: references between published marts."""
    return f"{key} in (select {key} from marts.{mart})"


def is_true(column: str) -> gx.expectations.Expectation:
    """Every non-null value of a boolean column is true (GX skips nulls: 'no reference' is not a broken one)."""
    return E.ExpectColumnValuesToBeInSet(column=column, value_set=[True])


def one_of(column: str, values: list) -> gx.expectations.Expectation:
    return E.ExpectColumnValuesToBeInSet(column=column, value_set=values)


def required(*columns: str) -> list:
    return [E.ExpectColumnValuesToNotBeNull(column=c) for c in columns]


def unique(*columns: str) -> gx.expectations.Expectation:
    if len(columns) == 1:
        return E.ExpectColumnValuesToBeUnique(column=columns[0])
    return E.ExpectCompoundColumnsToBeUnique(column_list=list(columns))


def at_least(column: str, minimum: float, *, strict: bool = False) -> gx.expectations.Expectation:
    return E.ExpectColumnValuesToBeBetween(column=column, min_value=minimum, strict_min=strict)


def between(column: str, minimum: float, maximum: float) -> gx.expectations.Expectation:
    return E.ExpectColumnValuesToBeBetween(column=column, min_value=minimum, max_value=maximum)


def no_sudden_shrink(previous_rows: int | None, max_shrink: float) -> list:
    """Rows are only ever added (a deletion removes one now and then): a run that would publish
    more than `max_shrink` fewer rows than the last publication has lost data, not customers."""
    if not previous_rows:
        return []
    return [E.ExpectTableRowCountToBeBetween(min_value=int(previous_rows * (1 - max_shrink)))]
