"""Where things live: one place resolves the home, source and database paths.

`--home` defaults to `$SMILE_HOME`, else `./.smile` (interface.md); the source
directory defaults to `$SMILE_HOME/sources`. Dagster definitions, the CLI, dbt's
profile and the app all read the same environment variables, so a path is never
spelled twice.
"""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
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


def export_environment(paths: SmilePaths) -> None:
    """Make the resolved paths visible to dbt (profiles.yml reads SMILE_HOME) and to
    Dagster, whose instance (run history, asset materializations) lives in
    $SMILE_HOME/dagster so `dagster dev` shows what `smile run` did."""
    paths.home.mkdir(parents=True, exist_ok=True)
    os.environ["SMILE_HOME"] = str(paths.home)
    os.environ["SMILE_SOURCE_DIR"] = str(paths.source_dir)
    os.environ["DAGSTER_HOME"] = str(paths.dagster_home)
    export_pseudonym_key(paths)
    paths.dagster_home.mkdir(parents=True, exist_ok=True)
    config = paths.dagster_home / "dagster.yaml"
    if not config.exists():
        # no network here or in CI: telemetry would only fail quietly
        config.write_text("telemetry:\n  enabled: false\n")


def export_pseudonym_key(paths: SmilePaths) -> None:
    """Hand dbt this installation's key for people's pseudonyms (the `pseudonym` macro).

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
    os.environ["SMILE_PSEUDONYM_KEY"] = key_file.read_text().strip()
