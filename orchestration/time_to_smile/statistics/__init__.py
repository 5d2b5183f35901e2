"""Statistical models fitted over what dbt built (each module's docstring says what and why)."""

from . import experience_effects, open_case_outlook

#: The marts computed in Python (defs/statistics/assets.py), by name: their documented columns.
PYTHON_MART_COLUMNS = {
    "metric_experience_driver_effects": experience_effects.COLUMNS,
    "fct_open_case_outlook": open_case_outlook.COLUMNS,
}
