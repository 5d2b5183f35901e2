"""Enrichments computed in Python where SQL cannot: comment sentiment."""
