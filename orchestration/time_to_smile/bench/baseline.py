"""The benchmark's baseline (baseline.sql): the bare engine's time for Time to Smile and the phase
hours of every case from the raw tables, and whether the pipeline's published numbers agree."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb

from ..warehouse import memory_limit

BASELINE_SQL = Path(__file__).with_name("baseline.sql")
#: Hours are compared to this tolerance (the pipeline and the baseline add floats in different orders).
TOLERANCE_HOURS = 1e-6
COMPARED = ("time_to_smile_hours", "elapsed_hours", "first_response_hours", "support_investigation_hours",
            "engineering_hours", "close_the_loop_hours", "waiting_on_customer_hours", "reopen_gap_hours")


def run_baseline(warehouse: Path, serving: Path, as_of: str) -> dict[str, Any]:
    """Time baseline.sql on the warehouse's raw tables, then compare it with the published journeys case by case.

    Returns the baseline's seconds, the cases it computed, and the disagreements: cases on one side only,
    and cases whose Time to Smile or any phase's hours differ (with up to five examples)."""
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        # the engine gets the pipeline's memory budget: the ratio compares like with like
        con.execute(f"set memory_limit = '{memory_limit()}'")
        con.execute(f"set temp_directory = '{warehouse.with_suffix('.baseline.tmp')}'")
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        con.execute("use warehouse")
        started = time.perf_counter()
        con.execute(f"create temp table baseline as {BASELINE_SQL.read_text()}", {"as_of": as_of})
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
