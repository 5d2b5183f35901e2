"""The `smile` command line (interface.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from .settings import ENGINES, PROJECT_ROOT, STREAMLIT_ENTRY, VENV_BIN, export_environment, resolve_paths


def as_of_instant(text: str) -> str:
    """--as-of: a UTC instant, 'YYYY-MM-DD HH:MM:SS' (ISO 8601's 'T' and a trailing 'Z' welcome) or a date,
    meaning its midnight; checked before any work."""
    for layout in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, layout).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"expected a UTC time as 'YYYY-MM-DD HH:MM:SS' or a date 'YYYY-MM-DD', got {text!r}")


def _echo(message: str) -> None:
    print(message, flush=True)


def cmd_generate(args: argparse.Namespace) -> int:
    from .generator import generate_company

    out = Path(args.out).resolve()
    _echo(f"Generating a sample company into {out} (accounts={args.accounts}, tickets={args.tickets}, days={args.days}, seed={args.seed})")
    started = time.monotonic()
    counts = generate_company(out, accounts=args.accounts, tickets=args.tickets, days=args.days, seed=args.seed, progress=lambda m: _echo(f"  {m}"))
    for path, n in sorted(counts.items()):
        _echo(f"  {path}: {n} records")
    _echo(f"Done in {time.monotonic() - started:.1f}s")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from .pipeline_run import run_pipeline

    from .console import output_to, run_log_path

    paths = resolve_paths(args.home, args.source_dir)
    _echo(f"Running the pipeline: sources {paths.source_dir} -> {paths.home}")
    started = time.monotonic()
    log = run_log_path(paths.home)
    with output_to(log) as say:  # Dagster's and dbt's own output go to the log, the progress here
        summary = run_pipeline(paths, as_of=args.as_of, echo=say, pull=args.pull, full_refresh=args.full_refresh,
                               engine=args.engine)
    _echo(f"Run {summary.run_id} finished in {time.monotonic() - started:.1f}s (Dagster's and dbt's output: {log})")
    for line in summary.lines():
        _echo(f"  {line}")
    if not summary.published:
        print(f"smile run: not published: {summary.not_published_because}", file=sys.stderr)
        return 1
    _echo(f"Published to {paths.serving}")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    if args.home and not Path(args.home).is_dir():
        return _fail(f"home {args.home} does not exist: `smile run --home {args.home}` (or `smile demo`) makes one")
    paths = resolve_paths(args.home, None)
    export_environment(paths)
    if not paths.serving.exists():
        _echo(f"Note: {paths.serving} does not exist yet; the app will ask you to run `smile run`.")
    # Listen on loopback unless told otherwise; "minimal" toolbar: a leader's app has no Deploy
    # button or developer menu.
    command = [str(VENV_BIN / "streamlit") if (VENV_BIN / "streamlit").exists() else "streamlit", "run", str(STREAMLIT_ENTRY),
               "--server.port", str(args.port), "--server.address", args.address, "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]
    _echo(f"Starting the app on http://{args.address}:{args.port} (Ctrl+C to stop)")
    return subprocess.call(command, env=os.environ.copy())


def cmd_sql(args: argparse.Namespace) -> int:
    """One query, read-only, on the publication: works after `make install`, no DuckDB CLI needed."""
    import duckdb

    paths = resolve_paths(args.home, None)
    if not paths.serving.exists():
        return _fail(f"nothing published yet at {paths.serving}: run `smile run` (or `smile demo`) first")
    with duckdb.connect(str(paths.serving), read_only=True) as con:
        try:
            relation = con.sql(args.query)
        except duckdb.Error as error:
            return _fail(" ".join(str(error).split()))
        if relation is None:
            return 0
        if args.csv:
            relation.df().to_csv(sys.stdout, index=False)
        else:
            relation.show(max_rows=args.max_rows, max_width=200)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    paths = resolve_paths(args.home, None)
    # each step parsed as its own command line, so it gets every option's default
    # (a hand-built Namespace missed `run --full-refresh` once, and `make demo` broke)
    step = build_parser().parse_args
    if not any(paths.source_dir.glob("*/*.jsonl*")):
        code = cmd_generate(step(["generate", "--out", str(paths.source_dir)]))
        if code:
            return code
    else:
        _echo(f"Using the company already in {paths.source_dir}")
    run = ["run", "--home", str(paths.home), "--source-dir", str(paths.source_dir)]
    from .generator import sample_as_of

    ends = sample_as_of(paths.source_dir)
    if ends:  # measured up to today, a sample that ended weeks ago has an empty latest week
        _echo(f"The sample company's history ends at {ends} UTC: measuring as of then, so the latest weeks have their cases")
        run += ["--as-of", ends]
    code = cmd_run(step(run))
    if code:
        return code
    return cmd_app(step(["app", "--home", str(paths.home), "--port", str(args.port)]))


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench.ladder import run_rung
    from .bench.report import markdown, result, write_json

    rungs = []
    for tickets in sorted(args.tickets):
        _echo(f"Benchmark: {tickets:,} tickets")
        rungs.append(run_rung(args.work_dir.resolve(), tickets, _echo))
    data = result(rungs)
    out = args.out or args.work_dir / "bench.json"
    write_json(data, out)
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(markdown(data))
    _echo(f"Wrote {out} and {args.markdown}")
    disagreeing = [r["tickets"] for r in rungs
                   if not all(baseline["agrees"] for baseline in (r["baseline"], r["incremental"]["baseline"], r["nothing_new"]["baseline"]))]
    if disagreeing:
        return _fail(f"the pipeline and the baseline disagree at {', '.join(f'{t:,}' for t in disagreeing)} tickets "
                     f"(examples in {out})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smile",
        description="Time to Smile: measure the customer's wait from interruption to smile, from Zendesk, Jira and Salesforce data.",
        epilog="--home defaults to $SMILE_HOME, else ./.smile; it holds warehouse.duckdb and serving.duckdb.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="generate a sample company (if none), run the pipeline and start the app")
    demo.add_argument("--home", help="home directory (default $SMILE_HOME or ./.smile)")
    demo.add_argument("--port", type=int, default=8501, help="app port (default 8501)")
    demo.set_defaults(parser=demo, func=cmd_demo)

    gen = sub.add_parser("generate", help="write a synthetic company in the file-drop layout (deterministic per seed)")
    gen.add_argument("--out", required=True, help="source directory to write (zendesk/, jira/, salesforce/)")
    gen.add_argument("--accounts", type=int, default=40, help="CRM accounts (default 40)")
    gen.add_argument("--tickets", type=int, default=400, help="helpdesk tickets (default 400)")
    gen.add_argument("--days", type=int, default=90, help="days of history ending 2026-11-16 (default 90)")
    gen.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    gen.set_defaults(parser=gen, func=cmd_generate)

    run = sub.add_parser("run", help="one pipeline run: load, dbt build and tests, quality checks, publish if all blocking checks pass")
    run.add_argument("--source-dir", help="file drop to load (default $SMILE_HOME/sources)")
    run.add_argument("--home", help="home directory (default $SMILE_HOME or ./.smile)")
    run.add_argument("--as-of", type=as_of_instant,
                     help="measure open cases up to this UTC time, 'YYYY-MM-DD HH:MM:SS' (or 'YYYY-MM-DDTHH:MM:SSZ') or 'YYYY-MM-DD' (default: now)")
    run.add_argument("--pull", action="store_true",
                     help="first pull the Zendesk, Jira and Salesforce APIs incrementally into the source directory "
                          "(credentials from environment variables, checked before anything is pulled; a failure "
                          "names the vendor, endpoint, status and the vendor's message: see docs/extract.md)")
    run.add_argument("--full-refresh", action="store_true",
                     help="rebuild every incremental dbt model from all of history instead of only the tickets and "
                          "cases changed since the last build and the open cases (done by itself when the dbt project "
                          "changed: docs/incremental.md)")
    run.add_argument("--engine", choices=ENGINES, default=os.environ.get("SMILE_ENGINE") or "duckdb",
                     help="where the dbt project builds: duckdb, embedded (the default), or spark, a local Spark "
                          "session or a cluster named in dbt_project/profiles.yml; the marts are checked and published "
                          "to serving.duckdb either way (default $SMILE_ENGINE, else duckdb; docs/scale-out.md)")
    run.set_defaults(parser=run, func=cmd_run)

    app = sub.add_parser("app", help="start the Streamlit app on the published marts")
    app.add_argument("--home", help="home directory (default $SMILE_HOME or ./.smile)")
    app.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    app.add_argument("--address", default="127.0.0.1",
                     help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every network)")
    app.set_defaults(parser=app, func=cmd_app)

    sql = sub.add_parser("sql", help="run one SQL query, read-only, on the published marts (serving.duckdb)",
                         description="Runs QUERY on $SMILE_HOME/serving.duckdb opened read-only (a pipeline run never "
                                     "locks you out) and prints the result. Example: smile sql \"select * from "
                                     "marts.metric_catalog\"")
    sql.add_argument("query", help="the SQL to run, e.g. \"select count(*) from marts.fct_case_journey\"")
    sql.add_argument("--home", help="home directory (default $SMILE_HOME or ./.smile)")
    sql.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    sql.add_argument("--max-rows", type=int, default=40, help="rows shown in the table (default 40)")
    sql.set_defaults(parser=sql, func=cmd_sql)

    bench = sub.add_parser(
        "bench", help="measure the pipeline at a ladder of company sizes: each stage's time and peak memory, and the app's pages",
        description="For each size: generate a company (or reuse the one in --work-dir), run the whole pipeline in a fresh "
                    "home as of 2026-11-17, time every stage (load, sentiment, raw checks, dbt build, mart checks, "
                    "publication) with its peak memory, time the hand-written DuckDB baseline reading the same source files "
                    "and check it agrees with the published journeys on every case, time every app page cold "
                    "and warm, then add one more day of records and time the incremental run the same way (and "
                    "check the baseline again), then a run a day later that finds nothing new (only the as-of moves; "
                    "the baseline checked once more). Each run also reports dbt's node seconds by kind: incremental "
                    "models, tables rebuilt in full, views, data tests, seeds. Writes a JSON result and a Markdown "
                    "table (docs/benchmarks.md); exits 1 when the baseline disagrees.")
    bench.add_argument("--tickets", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                       help="company sizes in tickets, smallest first (default 10000 100000 1000000)")
    bench.add_argument("--work-dir", type=Path, default=Path("bench-work"),
                       help="where companies are generated once and reused, and where runs happen (default ./bench-work)")
    bench.add_argument("--out", type=Path, help="JSON result (default <work-dir>/bench.json)")
    bench.add_argument("--markdown", type=Path, default=PROJECT_ROOT / "docs" / "benchmarks.md",
                       help="Markdown table to write (default docs/benchmarks.md)")
    bench.set_defaults(parser=bench, func=cmd_bench)
    return parser


def _fail(message: str) -> int:
    print(f"smile: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args, unknown = build_parser().parse_known_args(argv)
    if unknown:  # said by the command's own parser, so its usage is the one shown
        args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # one-line reason on failure (interface.md)
        from .pipeline_run import RunRefused

        if isinstance(error, RunRefused):
            return _fail(str(error))
        if os.environ.get("SMILE_DEBUG"):
            raise
        return _fail(f"{type(error).__name__}: {error} (set SMILE_DEBUG=1 for the traceback)")


if __name__ == "__main__":
    sys.exit(main())
