"""What the dbt assets need around `dbt build`: incremental or full (build_state), why a build failed (failure), what each dbt test asserts (check_descriptions)."""
