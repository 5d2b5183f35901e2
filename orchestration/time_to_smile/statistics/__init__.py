"""Statistical models fitted over what dbt built (each module's docstring says what and why)."""
