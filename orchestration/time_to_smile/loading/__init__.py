"""Loading the file drop into DuckDB's raw schema: which files belong to which collection, and the loader."""
