"""Dagster definitions: the file-drop sensor and the hourly API pull schedule."""
