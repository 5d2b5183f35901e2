"""Shared helpers: run the real pipeline (Dagster, dbt, DuckDB) on a source directory."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
from time_to_smile.pipeline_run import RunSummary, run_pipeline
from time_to_smile.settings import resolve_paths


def pytest_configure(config):
    """Parse the dbt project once, in the main process, before `make test`'s workers start
    (pytest-xdist): each worker would otherwise parse it into dbt_project/target at once."""
    if not hasattr(config, "workerinput"):
        from time_to_smile.defs.dbt.assets import ensure_manifest

        ensure_manifest()


def run_smile(home: Path, source_dir: Path, as_of: str | None = None, pull: bool = False,
              full_refresh: bool = False, engine: str = "duckdb") -> RunSummary:
    """One real `smile run` in this process (Dagster, dbt subprocess, DuckDB files),
    with its progress lines collected. A run sets no environment variable
    (tests/test_run_settings.py), so there is nothing to restore after it."""
    lines: list[str] = []
    summary = run_pipeline(resolve_paths(home, source_dir), as_of=as_of, echo=lines.append, pull=pull,
                           full_refresh=full_refresh, engine=engine)
    summary.progress = lines  # type: ignore[attr-defined]
    return summary


def query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def dbt_env(home: Path) -> dict[str, str]:
    """The environment for running dbt by hand against a home: its warehouse (profiles.yml
    reads SMILE_HOME) and its pseudonym key, without DBT_ settings another run left behind."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBT_")}
    env.update(SMILE_HOME=str(home), SMILE_PSEUDONYM_KEY=resolve_paths(home).pseudonym_key_file.read_text().strip(),
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    return env


def comparable_columns(con: duckdb.DuckDBPyConnection, table: str, catalog: str | None = None) -> str:
    """A select list of `schema.table`'s columns with doubles rounded to 9 decimals: a sum or
    a standard deviation's last bits depend on the order DuckDB's threads combine rows in,
    which differs from run to run."""
    schema, name = table.split(".")
    return ", ".join(
        f'round("{column}", 9)' if kind in ("DOUBLE", "FLOAT") else f'"{column}"'
        for column, kind in con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = coalesce(?, current_database()) and table_schema = ? and table_name = ? "
            "order by ordinal_position", [catalog, schema, name]).fetchall())


def comparable_rows(database: Path, table: str) -> list[tuple]:
    """A table's rows, sorted, doubles to 9 decimals (comparable_columns)."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"select {comparable_columns(con, table)} from {table} order by all").fetchall()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen, log: Path, timeout: float) -> None:
    """Wait for the Streamlit server at `url` to answer its health check; fail with its log
    if it exits or takes longer than `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the app did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)


def pseudonym(serving: Path, user_id: int | None) -> str | None:
    """A person's published pseudonym by docs/privacy.md's rule, from the home's key."""
    if user_id is None:
        return None
    key = (serving.parent / "pseudonym.key").read_text().strip()
    return "person-" + hashlib.sha256(f"{key}:{user_id}".encode()).hexdigest()[:16]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def handmade_publication(tmp_path_factory) -> Path:
    """The hand-made company (tests/fixtures/handmade_company.py), run once, as of its AS_OF."""
    from tests.fixtures import handmade_company

    root = tmp_path_factory.mktemp("handmade")
    source_dir = handmade_company.write(root / "sources")
    summary = run_smile(root / "home", source_dir, as_of=handmade_company.AS_OF)
    assert summary.published, summary.lines()
    return root / "home" / "serving.duckdb"


@pytest.fixture(scope="session")
def two_runs(tmp_path_factory):
    """The hand-made company run twice in one home (tests/fixtures/two_runs.py)."""
    from tests.fixtures import two_runs as fixture

    return fixture.build(tmp_path_factory.mktemp("two_runs"))


#: The generated company's as-of: the Monday after its last day.
GENERATED_AS_OF = "2026-11-16 00:00:00"


@pytest.fixture(scope="session")
def generated_company(tmp_path_factory):
    """`smile generate`'s default company (seed 7), run once: (root, records per file, the run's summary)."""
    from time_to_smile.generator import generate_company

    root = tmp_path_factory.mktemp("company")
    counts = generate_company(root / "sources", seed=7)
    first = run_smile(root / "home", root / "sources", as_of=GENERATED_AS_OF)
    assert first.published, first.lines()
    return root, counts, first


@pytest.fixture(scope="session")
def year_long_company(tmp_path_factory) -> Path:
    """A year of a larger company (300 accounts, 3,000 tickets, seed 5), run once as of the
    Monday after its last day: enough renewals to fit churn on (tests/test_experience_drivers.py)
    and enough past open cases to backtest the outlook (tests/test_open_case_outlook.py). Its home."""
    from time_to_smile.generator import generate_company

    root = tmp_path_factory.mktemp("year_long_company")
    generate_company(root / "sources", accounts=300, tickets=3000, days=365, seed=5)
    summary = run_smile(root / "home", root / "sources", as_of=GENERATED_AS_OF)
    assert summary.published, summary.lines()
    return root / "home"
