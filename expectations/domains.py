"""The domain lists (channels, phases, segments, lifecycle stages), read from the dbt
project's seeds, where each is defined once (dbt_project/seeds/_seeds.yml): the SQL reads
the same files as tables in schema `reference`."""

from __future__ import annotations

import csv
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"


def seed_column(seed: str, column: str) -> list[str]:
    """The values of `column` in `seeds/<seed>.csv`, in the file's order."""
    with (SEEDS / f"{seed}.csv").open(newline="", encoding="utf-8") as f:
        return [row[column] for row in csv.DictReader(f)]


CHANNELS = seed_column("channels", "channel")
PHASES = seed_column("phases", "phase")
SEGMENTS = seed_column("segments", "segment")
LIFECYCLE_STAGES = seed_column("lifecycle_stages", "stage")
