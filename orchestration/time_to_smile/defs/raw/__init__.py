"""Dagster definitions: the raw assets (one per collection, the run's as-of, unrecognised files)."""
