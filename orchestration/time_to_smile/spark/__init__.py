"""The Spark engine (issue 23, docs/scale-out.md): the same dbt project built on Spark."""
