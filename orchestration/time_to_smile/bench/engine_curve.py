"""How a build grows with the data on each engine (docs/scale-out.md): the same generated
company run once on DuckDB and once on Spark at each size, from empty homes, timing the whole
run and its dbt build (Spark's includes handing the raw tables over and bringing the marts
back). Where Spark's per-model cost (0.5-3 s a model whatever the size) stops dominating, its
build starts to grow with the data.

    python -m time_to_smile.bench.engine_curve --tickets 1000 10000 100000 --work-dir /tmp/curve
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from ..settings import ENGINES, resolve_paths
from .ladder import AS_OF, link_company, company
from .stages import stage_windows


def measure(work_dir: Path, tickets: int, engine: str, echo=print) -> dict:
    sources, _ = company(work_dir, tickets, echo)
    home = work_dir / "homes" / f"{tickets}-{engine}"
    shutil.rmtree(home, ignore_errors=True)
    paths = resolve_paths(home, home / "sources")
    link_company(sources, paths.source_dir)
    from ..pipeline_run import run_pipeline  # noqa: PLC0415 (Dagster: only when measuring)

    started = time.monotonic()
    summary = run_pipeline(paths, as_of=AS_OF, echo=lambda m: None, engine=engine)
    seconds = time.monotonic() - started
    if not summary.published:
        raise RuntimeError(f"{tickets} tickets on {engine}: not published: {summary.not_published_because}")
    dbt_start, dbt_end = stage_windows(paths.dagster_home, summary.run_id)["dbt build"]
    row = {"tickets": tickets, "engine": engine, "run_seconds": round(seconds, 1),
           "dbt_build_seconds": round(dbt_end - dbt_start, 1)}
    echo(f"{tickets:>9,} tickets  {engine:<6}  run {row['run_seconds']:>7.1f} s  dbt build {row['dbt_build_seconds']:>7.1f} s")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--work-dir", type=Path, default=Path("bench-work"))
    args = parser.parse_args(argv)
    for tickets in args.tickets:
        for engine in args.engines:
            measure(args.work_dir, tickets, engine)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
