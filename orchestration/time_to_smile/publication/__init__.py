"""Publishing the checked marts to serving.duckdb, atomically."""
