"""Where things live: one place resolves the home, source and database paths.

`--home` defaults to `$SMILE_HOME`, else `./.smile` (interface.md); the source
directory defaults to `$SMILE_HOME/sources`. The environment variables are where
a command line without --home, `dagster dev` and the app find a home; a pipeline run
is handed its paths explicitly (defs/resources.py `SmileSettings`, pipeline_run.py).
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .dagster_instance import write_instance_config

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
#: Where the dbt project builds (docs/scale-out.md): DuckDB, embedded, is the default.
ENGINES = ("duckdb", "spark")
STREAMLIT_ENTRY = PROJECT_ROOT / "streamlit_app" / "streamlit_app.py"
# Executables installed beside this interpreter (the project's venv), found even
# when the venv is not activated (e.g. `.venv/bin/smile run`).
VENV_BIN = Path(sys.executable).parent
DBT_EXECUTABLE = str(VENV_BIN / "dbt") if (VENV_BIN / "dbt").exists() else "dbt"


def dbt_project_files(*folders: str) -> list[Path]:
    """Every file under the dbt project's given folders, plus dbt_project.yml."""
    files = [p for folder in folders for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return sorted([*files, DBT_PROJECT_DIR / "dbt_project.yml"])


@dataclass(frozen=True)
class SmilePaths:
    home: Path
    source_dir: Path

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def serving(self) -> Path:
        return self.home / "serving.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder for this home's builds: run results, logs and the parse dbt
        reuses next time (one per home, as the profile names the home's warehouse)."""
        return self.home / "dbt"

    @property
    def run_history(self) -> Path:
        return self.home / "run_history.jsonl"

    @property
    def pseudonym_key_file(self) -> Path:
        return self.home / "pseudonym.key"

    @property
    def lock_file(self) -> Path:
        return self.home / "run.lock"


def resolve_paths(home: str | os.PathLike | None = None, source_dir: str | os.PathLike | None = None) -> SmilePaths:
    home_path = Path(home or os.environ.get("SMILE_HOME") or ".smile").expanduser().resolve()
    source = source_dir or os.environ.get("SMILE_SOURCE_DIR") or home_path / "sources"
    return SmilePaths(home=home_path, source_dir=Path(source).expanduser().resolve())


def prepare_home(paths: SmilePaths) -> None:
    """Make the home a run writes to: the folder, its Dagster instance's folder (run history
    and asset materializations in $SMILE_HOME/dagster, so `dagster dev` shows what `smile run`
    did) and its pseudonym key. Changes no environment variable."""
    paths.home.mkdir(parents=True, exist_ok=True)
    pseudonym_key(paths)
    write_instance_config(paths.dagster_home)


def export_environment(paths: SmilePaths) -> None:
    """For the commands that start another program on a home (`smile app`'s Streamlit): make the
    resolved paths visible to it through the environment it inherits. A pipeline run does not
    call this: its settings go to the job explicitly (pipeline_run.py), and dbt is given its
    variables for its own process only (`dbt_environment`)."""
    prepare_home(paths)
    os.environ["SMILE_HOME"] = str(paths.home)
    os.environ["SMILE_SOURCE_DIR"] = str(paths.source_dir)
    os.environ["DAGSTER_HOME"] = str(paths.dagster_home)
    os.environ["SMILE_PSEUDONYM_KEY"] = pseudonym_key(paths)


def pseudonym_key(paths: SmilePaths) -> str:
    """This installation's key for people's pseudonyms (dbt's `pseudonym` macro).

    The key is made once per home and stays there, readable by its owner only: the same
    person keeps the same pseudonym from run to run, and nobody holding only the published
    marts can recover a user id by hashing every small integer.
    """
    key_file = paths.pseudonym_key_file
    if not key_file.exists():
        paths.home.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # made by a concurrent process a moment ago
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def dbt_environment(paths: SmilePaths) -> dict[str, str]:
    """What dbt reads from its environment for a home: profiles.yml its warehouse (SMILE_HOME),
    the `pseudonym` macro its key (SMILE_PSEUDONYM_KEY)."""
    return {"SMILE_HOME": str(paths.home), "SMILE_PSEUDONYM_KEY": pseudonym_key(paths)}


@contextmanager
def environment(variables: Mapping[str, str]):
    """Set `variables` for the block's duration and put back what was there before: for a
    library that starts a process from `os.environ` and takes no environment of its own
    (dagster-dbt's `DbtCliResource.cli`)."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
