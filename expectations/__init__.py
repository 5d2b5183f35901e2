"""Great Expectations suites, one module per guarded table, built as code in an
ephemeral context. The orchestration layer runs them as Dagster asset checks."""
