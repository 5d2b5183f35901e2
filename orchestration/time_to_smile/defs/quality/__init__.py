"""Dagster definitions: the Great Expectations suites as asset checks."""
