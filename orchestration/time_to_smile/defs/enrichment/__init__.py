"""Dagster definitions: the enrichment assets (comment sentiment)."""
