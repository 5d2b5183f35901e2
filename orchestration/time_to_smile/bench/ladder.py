"""One rung of the benchmark ladder: a company of N tickets, generated once and reused, run
through the whole pipeline in a fresh home, then the app's pages timed on what it published."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from ..settings import resolve_paths
from .baseline import run_baseline
from .dbt_nodes import node_seconds
from .memory import MemorySampler
from .next_day import write_next_day
from .report import agreement
from .stages import OUTSIDE_STEPS, STAGES, stage_windows

#: A benchmark company's shape: a year of history, 50 tickets per account (1M tickets: 20,000 accounts).
DAYS = 365
TICKETS_PER_ACCOUNT = 50
#: The as-of time every rung is measured at: the day after the generator's last day.
AS_OF = "2026-11-17 00:00:00"
MIB = 1024 * 1024


def company(work_dir: Path, tickets: int, echo: Callable[[str], None]) -> tuple[Path, float | None]:
    """The directory of the ``tickets``-sized company, generated unless a complete one is there.
    Returns it and the seconds generation took (None when reused)."""
    from ..generator import generate_company  # noqa: PLC0415 (only when a company is missing)

    sources = work_dir / "companies" / str(tickets)
    done = sources / ".complete"
    if done.exists():
        echo(f"  reusing the company in {sources}")
        return sources, None
    shutil.rmtree(sources, ignore_errors=True)
    accounts = max(40, tickets // TICKETS_PER_ACCOUNT)
    echo(f"  generating {tickets:,} tickets for {accounts:,} accounts over {DAYS} days into {sources}")
    started = time.monotonic()
    generate_company(sources, accounts=accounts, tickets=tickets, days=DAYS, seed=7, progress=lambda m: echo(f"    {m}"))
    done.write_text("")
    return sources, round(time.monotonic() - started, 1)


def _measured_run(paths, as_of: str, what: str, echo: Callable[[str], None]) -> tuple[dict[str, Any], dict[str, Any]]:
    """One pipeline run, timed as a whole and stage by stage, with peak memory and dbt's node
    seconds by kind: (run, stages)."""
    from ..pipeline_run import run_pipeline  # noqa: PLC0415

    with MemorySampler() as memory:
        started = time.time()
        summary = run_pipeline(paths, as_of=as_of, echo=lambda m: None)
        ended = time.time()
    if not summary.published:
        raise RuntimeError(f"the {what} did not publish: {summary.not_published_because}")
    windows = stage_windows(paths.dagster_home, summary.run_id)
    stages = {
        stage: {"seconds": round(windows[stage][1] - windows[stage][0], 2),
                "peak_memory_mib": round(memory.peak_between(*windows[stage]) / MIB)}
        for stage in STAGES if stage in windows
    }
    run = {"seconds": round(ended - started, 2), "peak_memory_mib": round(memory.peak / MIB),
           "dbt_nodes": node_seconds(paths.dbt_target)}
    stages[OUTSIDE_STEPS] = {"seconds": round(run["seconds"] - sum(v["seconds"] for v in stages.values()), 2),
                               "peak_memory_mib": None}
    echo(f"  {what}: {run['seconds']:,.1f} s, peak {run['peak_memory_mib']:,} MiB; "
         + ", ".join(f"{s} {v['seconds']:,.1f} s" for s, v in stages.items()))
    return run, stages


def link_company(company_dir: Path, sources: Path) -> None:
    """The run's source directory: the company's files, linked (a later drop adds files here, not there)."""
    for path in company_dir.glob("*/*.jsonl"):
        link = sources / path.parent.name / path.name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(path.resolve())


def run_rung(work_dir: Path, tickets: int, echo: Callable[[str], None]) -> dict[str, Any]:
    """Measure one rung: the full run stage by stage (wall time, peak memory), the baseline and its
    agreement, the app's pages, then an incremental run that adds one day, then a run a day later
    that finds nothing new; after each, the baseline's agreement with what was published."""
    from .app_timing import time_pages  # noqa: PLC0415

    company_dir, generate_seconds = company(work_dir, tickets, echo)
    home = work_dir / "homes" / str(tickets)
    shutil.rmtree(home, ignore_errors=True)  # a full run from nothing
    link_company(company_dir, home / "sources")
    paths = resolve_paths(home, home / "sources")
    echo(f"  full run into {home}")
    run, stages = _measured_run(paths, AS_OF, f"full run of {tickets:,} tickets", echo)
    con = duckdb.connect(str(paths.serving), read_only=True)
    try:
        cases, segments = con.execute(
            "select (select count(*) from marts.fct_case_journey), (select count(*) from marts.fct_case_phases)").fetchone()
    finally:
        con.close()
    echo("  the baseline: Time to Smile and phase hours straight from the source files (baseline.sql)")
    with MemorySampler() as baseline_memory:
        baseline = run_baseline(paths.source_dir, paths.serving, AS_OF)
    baseline["peak_memory_mib"] = round(baseline_memory.peak / MIB)
    baseline["pipeline_ratio"] = round(run["seconds"] / baseline["seconds"], 1) if baseline["seconds"] else None
    echo(f"  baseline: {baseline['seconds']:,.1f} s (the run takes {baseline['pipeline_ratio']}x); {agreement(baseline)}")
    echo("  timing the app's pages")
    pages = time_pages(home)
    as_of = dt.datetime.fromisoformat(AS_OF)
    added = write_next_day(company_dir, paths.source_dir, as_of)
    echo(f"  one more day: {', '.join(f'{n:,} {name}' for name, n in added.items())}")
    next_as_of = f"{as_of + dt.timedelta(days=1):%Y-%m-%d %H:%M:%S}"
    incremental_run, incremental_stages = _measured_run(paths, next_as_of, "incremental run", echo)
    # the incremental build must publish what the bare engine computes from all the source files (the day's drop too)
    incremental_baseline = run_baseline(paths.source_dir, paths.serving, next_as_of)
    echo(f"  after the incremental run, the baseline {agreement(incremental_baseline)}")
    incremental = {"records_added": added, "run": incremental_run, "stages": incremental_stages,
                   "baseline": {k: v for k, v in incremental_baseline.items() if k != "seconds"}}
    # the scheduled run that finds no new file: only the as-of moves, a day on (docs/incremental.md)
    quiet_as_of = f"{as_of + dt.timedelta(days=2):%Y-%m-%d %H:%M:%S}"
    quiet_run, quiet_stages = _measured_run(paths, quiet_as_of, "run with nothing new", echo)
    quiet_baseline = run_baseline(paths.source_dir, paths.serving, quiet_as_of)
    echo(f"  after the run with nothing new, the baseline {agreement(quiet_baseline)}")
    nothing_new = {"run": quiet_run, "stages": quiet_stages,
                   "baseline": {k: v for k, v in quiet_baseline.items() if k != "seconds"}}
    return {"tickets": tickets, "cases_published": cases, "phase_segments": segments,
            "generate_seconds": generate_seconds, "run": run, "stages": stages, "baseline": baseline, "app_pages": pages,
            "incremental": incremental, "nothing_new": nothing_new}
