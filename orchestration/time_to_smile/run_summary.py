"""Moved to `time_to_smile.runs.run_record` (issue 21). Kept only for the app
(streamlit_app/data.py imports `read_history` from here): remove once it imports
`time_to_smile.runs.run_record`."""

from .runs.run_record import read_history

__all__ = ["read_history"]
