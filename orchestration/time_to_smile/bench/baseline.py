"""The benchmark's strong baseline (baseline.sql): the bare engine's time for Time to Smile and the
phase hours of every case read straight from the source files, and whether the pipeline's published
numbers agree."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import duckdb

from ..loading.drop_files import collection_files
from ..loading.source_collections import BY_TABLE
from ..settings import DBT_PROJECT_DIR
from ..warehouse import memory_limit

BASELINE_SQL = Path(__file__).with_name("baseline.sql")
#: baseline.sql's file parameters: the collections it reads (every file of each, in the loader's order).
FILES = {"tickets": "zendesk_tickets", "audits": "zendesk_ticket_audits", "users": "zendesk_users",
         "ticket_fields": "zendesk_ticket_fields", "ratings": "zendesk_satisfaction_ratings",
         "links": "zendesk_jira_links", "issues": "jira_issues"}
STATUS_CATEGORIES = DBT_PROJECT_DIR / "seeds" / "jira_status_categories.csv"
#: Hours are compared to this tolerance (the pipeline and the baseline add floats in different orders).
TOLERANCE_HOURS = 1e-6
COMPARED = ("time_to_smile_hours", "elapsed_hours", "first_response_hours", "support_investigation_hours",
            "engineering_hours", "close_the_loop_hours", "waiting_on_customer_hours", "reopen_gap_hours")


def source_files(source_dir: Path) -> dict[str, list[str]]:
    """baseline.sql's file parameters: each collection's files in the source directory (`.jsonl` and
    `.jsonl.gz`, dated drops too), oldest drop first, as the loader reads them."""
    files = {}
    for parameter, table in FILES.items():
        found = [str(p) for p in collection_files(source_dir, BY_TABLE[table])]
        if not found:
            raise FileNotFoundError(f"the baseline needs {BY_TABLE[table].folder}/{BY_TABLE[table].name}.jsonl in {source_dir}")
        files[parameter] = found
    return files


def statements(script: str) -> list[str]:
    """baseline.sql's statements: each ends with a semicolon at the end of a line."""
    return [s.strip() for s in re.split(r";[ \t]*$", script, flags=re.MULTILINE) if s.strip() and _code(s)]


def _code(statement: str) -> str:
    return "\n".join(line for line in statement.splitlines() if not line.lstrip().startswith("--")).strip()


def _used(statement: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement names (DuckDB refuses values it has no place for)."""
    return {name: value for name, value in parameters.items() if re.search(rf"\${name}\b", _code(statement))}


def run_baseline(source_dir: Path, serving: Path, as_of: str) -> dict[str, Any]:
    """Time baseline.sql on the source files (reading them is part of the time: no table of the
    pipeline is used), then compare it with the published journeys case by case.

    Returns the baseline's seconds, the cases it computed, and the disagreements: cases on one side only,
    and cases whose Time to Smile or any phase's hours differ (with up to five examples)."""
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        # the engine gets the pipeline's memory budget: the ratio compares like with like
        con.execute(f"set memory_limit = '{memory_limit()}'")
        con.execute(f"set temp_directory = '{serving.with_suffix('.baseline.tmp')}'")
        started = time.perf_counter()
        parameters = {"as_of": as_of, "status_categories": str(STATUS_CATEGORIES), **source_files(source_dir)}
        *load, compute = statements(BASELINE_SQL.read_text())
        for statement in load:
            con.execute(statement, _used(statement, parameters))
        con.execute(f"create temp table baseline as {compute}", _used(compute, parameters))
        seconds = time.perf_counter() - started
        con.execute(f"attach '{serving}' as serving (read_only)")
        differs = " or ".join(
            f"not (abs(coalesce(b.{c}, -1) - coalesce(p.{c}, -1)) <= {TOLERANCE_HOURS})" for c in COMPARED)
        cases, only_baseline, only_pipeline, disagreeing = con.execute(f"""
            select count(b.case_id), count(*) filter (where p.case_id is null), count(*) filter (where b.case_id is null),
                count(*) filter (where b.case_id is not null and p.case_id is not null and ({differs}))
            from temp.baseline as b full join serving.marts.fct_case_journey as p using (case_id)""").fetchone()
        examples = con.execute(f"""
            select b.case_id, {', '.join(f'b.{c} as baseline_{c}, p.{c} as pipeline_{c}' for c in COMPARED)}
            from temp.baseline as b join serving.marts.fct_case_journey as p using (case_id)
            where {differs} order by b.case_id limit 5""").df().to_dict("records")
    finally:
        con.close()
    return {"seconds": round(seconds, 2), "cases": cases, "only_in_baseline": only_baseline,
            "only_in_pipeline": only_pipeline, "disagreeing_cases": disagreeing, "examples": examples,
            "agrees": only_baseline == only_pipeline == disagreeing == 0}
