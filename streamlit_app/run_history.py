"""What the quality badge reads about the pipeline's runs: the run history file (every run,
published or not) and what the current publication's run held back.

The history is a file beside the serving file, not a mart: a run that failed before
publication still has to be reported, and there may be no publication at all yet.
It is cached on its own file signature, so a new run shows up without a new publication.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from serving import FileSignature, file_signature, query
from time_to_smile.run_record import read_history
from time_to_smile.settings import resolve_paths

#: Runs the data-quality badge lists.
RUN_HISTORY_SHOWN = 10


def run_history_path() -> Path:
    return resolve_paths().run_history


@st.cache_data(ttl=3600, max_entries=8, show_spinner=False)
def _cached_history(signature: FileSignature) -> list[dict[str, Any]]:
    return read_history(Path(signature.path), limit=RUN_HISTORY_SHOWN)


def run_history() -> list[dict[str, Any]]:
    """The newest pipeline runs first, published or not ([] before the first run)."""
    signature = file_signature(run_history_path())
    return [] if signature is None else _cached_history(signature)


def published_data_quality() -> pd.DataFrame:
    """What the current publication's run held back, by stage (load: lines; validation: records)."""
    return query("select stage, sum(records) as records from marts.data_quality group by stage")
