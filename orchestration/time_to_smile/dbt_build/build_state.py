"""Whether this run's dbt build can be incremental, and from which point (docs/incremental.md).

The per-ticket incremental models recompute only the tickets whose raw records were loaded
after the last complete build. This module keeps that point:

- `raw._dbt_builds` logs every complete build: the newest raw `_loaded_at` it had seen,
  its as-of instant, a fingerprint of the dbt project's files, and whether it was a full
  refresh;
- before a build, `prepare` writes `raw._build_state` (read by macros/incremental.sql and
  int_cases_recomputed): `changes_since` and `previous_as_of`, and decides whether the
  build must be a full refresh: no complete build yet, the project changed (a model's
  logic applies to all of history), a collection arrived whose change can touch every
  ticket, the as-of instant moved back, or the operator asked;
- after a complete build, `record` logs it. A failed or partial build logs nothing, so
  the next one recomputes the same tickets again (the models delete and re-insert them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb

from ..settings import DBT_PROJECT_DIR, dbt_project_files
from ..loading.source_collections import COLLECTIONS
from ..warehouse import scalar, table_exists

# Collections the incremental models read only as whole-table lookups: a new record may
# change every ticket (a custom field's title decides what counts as "Impact started at",
# a group's name is on every segment, the default schedule decides every business hour).
# The loader touches only records that changed, so a re-sent list does not trigger this.
FULL_REFRESH_COLLECTIONS = ("zendesk_ticket_fields", "zendesk_groups", "zendesk_schedules")

DDL = """
create schema if not exists raw;
create table if not exists raw._dbt_builds (
    loaded_through timestamp,
    project_fingerprint varchar not null,
    full_refresh boolean not null,
    finished_at timestamp not null
);
-- added with the per-case models: a home from before has no as-of on its builds
alter table raw._dbt_builds add column if not exists as_of timestamp;
-- set once the build's marts are in serving.duckdb: every row of them passed the mart checks
alter table raw._dbt_builds add column if not exists published boolean default false;
-- where it was built (docs/scale-out.md): the other engine's tables are not this one's
alter table raw._dbt_builds add column if not exists engine varchar default 'duckdb';
"""


@dataclass(frozen=True)
class BuildPlan:
    changes_since: object  # datetime | None: the last complete build's loaded_through
    loaded_through: object  # datetime | None: the newest raw record this build sees
    as_of: object  # datetime | None: this build's as-of instant (raw._run_context)
    fingerprint: str
    full_refresh_reason: str | None  # None: incremental
    engine: str = "duckdb"

    @property
    def full_refresh(self) -> bool:
        return self.full_refresh_reason is not None

    @property
    def clock_only(self) -> bool:
        """Incremental, and no raw record loaded since the last complete build: only the as-of
        instant (and the drop's unrecognised files) can have moved (clock_only.py)."""
        return (not self.full_refresh and self.changes_since is not None
                and self.loaded_through is not None and self.loaded_through <= self.changes_since)


def project_fingerprint() -> str:
    """A hash of every file that shapes what the models compute."""
    digest = hashlib.sha256()
    for path in dbt_project_files("models", "macros", "seeds"):
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [c.table for c in COLLECTIONS if table_exists(con, "raw", c.table)]


def _loaded_after(con: duckdb.DuckDBPyConnection, table: str, since) -> int:
    return scalar(con, f"select count(*) from raw.{table} where _loaded_at > ?", [since])


def prepare(con: duckdb.DuckDBPyConnection, *, requested_full_refresh: bool = False, engine: str = "duckdb") -> BuildPlan:
    """Decide how to build on `engine` and write `raw._build_state` for the models to read."""
    con.execute(DDL)
    tables = _raw_tables(con)
    newest_per_table = " union all ".join(f"select max(_loaded_at) as newest from raw.{t}" for t in tables)
    loaded_through = scalar(con, f"select max(newest) from ({newest_per_table})") if tables else None
    fingerprint = project_fingerprint()
    as_of = scalar(con, "select max(as_of) from raw._run_context") if table_exists(con, "raw", "_run_context") else None
    last = con.execute(
        "select loaded_through, project_fingerprint, as_of, engine from raw._dbt_builds order by finished_at desc limit 1"
    ).fetchall()
    changes_since, last_fingerprint, previous_as_of, last_engine = last[0] if last else (None, None, None, None)
    if requested_full_refresh:
        reason = "asked for (--full-refresh)"
    elif last and last_engine != engine:
        reason = f"the last complete build was on {last_engine}"
    elif not last:
        reason = "no complete build yet"
    elif last_fingerprint != fingerprint:
        reason = "the dbt project changed since the last complete build"
    elif previous_as_of is None or as_of is None or as_of < previous_as_of:
        # stage visits and journeys are cut at the as-of; going back in time undoes them
        reason = "the as-of instant moved back (or is unknown) since the last complete build"
    else:
        changed = [t for t in FULL_REFRESH_COLLECTIONS if t in tables and changes_since is not None
                   and _loaded_after(con, t, changes_since)]
        reason = f"new records in raw.{changed[0]}, which every ticket reads" if changed else None
    if reason is not None:
        changes_since = previous_as_of = None
    con.execute(
        "create or replace table raw._build_state as "
        "select cast(? as timestamp) as changes_since, cast(? as timestamp) as previous_as_of",
        [changes_since, previous_as_of],
    )
    return BuildPlan(changes_since, loaded_through, as_of, fingerprint, reason, engine)


def record(con: duckdb.DuckDBPyConnection, plan: BuildPlan) -> None:
    """Log a complete build, so the next one starts where this one ended."""
    con.execute(DDL)
    con.execute(
        "insert into raw._dbt_builds (loaded_through, project_fingerprint, full_refresh, finished_at, as_of, engine) "
        "values (?, ?, ?, now()::timestamp, ?, ?)",
        [plan.loaded_through, plan.fingerprint, plan.full_refresh, plan.as_of, plan.engine],
    )


def mark_published(con: duckdb.DuckDBPyConnection) -> None:
    """The latest complete build's marts are what serving.duckdb now holds (publication.py)."""
    con.execute(DDL)
    con.execute("update raw._dbt_builds set published = true "
                "where finished_at = (select max(finished_at) from raw._dbt_builds)")


def changed_rows_suffice(con: duckdb.DuckDBPyConnection, run_started) -> bool:
    """Whether the mart checks may validate only the rows this run's build rewrote: the build
    was incremental and finished in this run (so `int_cases_recomputed` is its work list), and
    the complete build before it was published (so every other row passed the checks then
    and has not changed since). Otherwise every row is validated, e.g. after a build whose
    publication a check blocked, whose rows no check has passed."""
    if not table_exists(con, "raw", "_dbt_builds"):
        return False
    builds = con.execute("select full_refresh, finished_at, coalesce(published, false) from raw._dbt_builds "
                         "order by finished_at desc limit 2").fetchall()
    return len(builds) == 2 and not builds[0][0] and builds[0][1] >= run_started and builds[1][2]
