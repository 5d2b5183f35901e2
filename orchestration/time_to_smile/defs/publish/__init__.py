"""Dagster definitions: the publication to serving.duckdb and the run history."""
