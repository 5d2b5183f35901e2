"""Dagster definitions: the live API pull into the file drop."""
