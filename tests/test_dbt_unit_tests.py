"""dbt's `unit_tests:` (phase rules, state carry-forward, stage cycles, as-of, the summary's
noise rule) check the SQL on fixed rows, not the data, so a pipeline build leaves them out
(defs/dbt/assets.py BUILD_ARGS) and they run here, against the hand-made company's warehouse
(dbt reads the column types of a unit test's inputs from the built relations)."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import dbt_env
from time_to_smile.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR, resolve_paths


def _unit_test_ids(run_results: dict) -> list[str]:
    return [r["unique_id"] for r in run_results["results"] if r["unique_id"].startswith("unit_test.")]


def test_every_dbt_unit_test_passes(handmade_publication, tmp_path):
    proc = subprocess.run(
        [DBT_EXECUTABLE, "test", "--select", "test_type:unit", "--profiles-dir", ".", "--target-path", str(tmp_path)],
        cwd=DBT_PROJECT_DIR, env=dbt_env(handmade_publication.parent), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:]

    declared = list(json.loads((tmp_path / "manifest.json").read_text())["unit_tests"])
    results = json.loads((tmp_path / "run_results.json").read_text())
    assert len(declared) >= 8
    assert sorted(_unit_test_ids(results)) == sorted(declared)
    # every unit test passed (the project's on-run-start hook, a no-op on DuckDB, reports "success")
    assert {r["status"] for r in results["results"] if r["unique_id"].startswith("unit_test.")} == {"pass"}


def test_a_pipeline_build_leaves_the_unit_tests_out(handmade_publication):
    build = json.loads((resolve_paths(handmade_publication.parent).dbt_target / "run_results.json").read_text())
    assert _unit_test_ids(build) == []
    assert any(r["unique_id"].startswith("test.") for r in build["results"])  # data tests still run
