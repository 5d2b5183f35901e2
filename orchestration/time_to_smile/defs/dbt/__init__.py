"""Dagster definitions: the dbt project's models as assets, its tests as checks."""
