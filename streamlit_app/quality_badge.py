"""The data freshness and quality badge, in the sidebar of every page.

Leadership should know at a glance whether the numbers are fresh and whole: when
the data is as of, whether the newest pipeline run published (a run whose blocking
checks fail leaves the previous publication in place), and how much input was held
back. The details sit in an expander for the data engineers.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import run_history
import serving
import streamlit as st


# The run history names a failed step by its Dagster key; a reader gets it in words.
_STEP_IN_WORDS = {
    "extract__api_pull: ": "the API pull failed: ",
    "time_to_smile_dbt: dbt build failed: ": "the dbt build failed: ",
    "serving__publication: ": "",  # its reason is a sentence already ("no cases to publish: ...")
}


def in_words(reason: str | None) -> str:
    """Why a run did not publish, for a person: the step's key replaced by what it does."""
    text = reason or "the run stopped before publication"
    for key, words in _STEP_IN_WORDS.items():
        if text.startswith(key):
            return words + text[len(key):]
    return text


def _age(as_of: dt.datetime | None) -> str:
    if as_of is None:
        return "unknown"
    hours = (dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - as_of).total_seconds() / 3600
    return f"{hours:.0f} h old" if hours < 48 else f"{hours / 24:.0f} days old"


def render_badge() -> None:
    sidebar = st.sidebar
    runs = run_history.run_history()
    newest = runs[0] if runs else None
    if not serving.is_published():
        sidebar.caption("No publication yet.")  # the page itself says what to do
        if newest is not None and not newest["published"]:  # e.g. a first API pull whose credentials failed
            sidebar.error(f"The latest run ({newest['finished_at']} UTC) did not publish: "
                          f"{in_words(newest['not_published_because'])}.", icon=":material/error:")
        return
    publication = serving.publication() or {}
    as_of = publication.get("as_of")
    freshness = f"Data as of {as_of:%Y-%m-%d %H:%M} UTC ({_age(as_of)})" if as_of else "Data as of: unknown"
    if newest is not None and not newest["published"]:
        sidebar.error(
            f"Data quality: the latest run ({newest['finished_at']} UTC) did not publish: "
            f"{in_words(newest['not_published_because'])}. You are seeing the previous publication.",
            icon=":material/error:",
        )
    else:
        held = run_history.published_data_quality().set_index("stage")["records"].to_dict()
        lines, records = int(held.get("load", 0)), int(held.get("validation", 0))
        warnings = len(newest["checks_warned"]) if newest else 0
        if lines or records or warnings:
            sidebar.warning(
                f"Data quality: published with {records} record(s) held back by validation, "
                f"{lines} unreadable line(s) or unrecognised file(s) and {warnings} warning check(s).",
                icon=":material/warning:",
            )
        else:
            sidebar.success("Data quality: every check passed, nothing held back.", icon=":material/check_circle:")
    sidebar.caption(freshness)
    if runs:
        with sidebar.expander("Recent runs"):
            st.dataframe(
                pd.DataFrame(runs)[["finished_at", "published", "records_held_back", "lines_quarantined",
                                     "checks_passed", "not_published_because"]],
                hide_index=True,
            )
