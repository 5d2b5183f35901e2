"""The Dagster definitions, one folder per area (as in dagster-open-platform): `raw/`,
`extract/`, `enrichment/`, `dbt/`, `quality/`, `publish/`, `automation/`, and `resources.py`
(the run's settings). `time_to_smile.definitions` puts them together. The logic they call
lives outside `defs/`: loading/, enrichment/, dbt_build/, publication/, extract/, run_record.py."""
