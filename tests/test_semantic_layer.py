"""The semantic layer (MetricFlow, dbt_project/models/semantic) against the published numbers.

`mf query` runs as an analyst runs it, as a subprocess on the warehouse of a real pipeline
run of the hand-made company (tests/fixtures/handmade_company.py). One name means one
computation: every metric must give marts.metric_weekly's numbers at ISO week x segment
grain. Hand values as in tests/test_metrics.py (week of 2026-03-02: cases 1, 2, 7, 8).

`mf` reads the semantic manifest from <project dir>/target only, so the test parses into a
scratch project directory (symlinks to dbt_project's files, its own target/ and logs/)
instead of racing other runs over dbt_project/target."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import dbt_env, query

DBT_PROJECT = Path(__file__).resolve().parents[1] / "dbt_project"
BIN = Path(sys.executable).parent
W1, W2 = "2026-03-02", "2026-03-09"


@pytest.fixture(scope="module")
def semantic_project(handmade_publication, tmp_path_factory):
    """A scratch dbt project dir sharing dbt_project's files, parsed against the run's home."""
    project = tmp_path_factory.mktemp("semantic_project")
    for name in ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests"):
        if (DBT_PROJECT / name).exists():
            (project / name).symlink_to(DBT_PROJECT / name)
    env = dbt_env(handmade_publication.parent)
    parse = subprocess.run(
        [str(BIN / "dbt"), "parse", "--quiet", "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(project / "target"), "--log-path", str(project / "logs")],
        cwd=project, env=env, capture_output=True, text=True, timeout=180,
    )
    assert parse.returncode == 0, parse.stdout + parse.stderr
    assert (project / "target" / "semantic_manifest.json").exists()
    return project, env


def mf_query(semantic_project, tmp_path, metrics: list[str], group_by: list[str]) -> list[dict[str, str]]:
    project, env = semantic_project
    out = tmp_path / f"{'_'.join(metrics)[:80]}.csv"
    result = subprocess.run(
        [str(BIN / "mf"), "query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by),
         "--csv", str(out), "--quiet"],
        cwd=project, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0 and out.exists(), result.stdout + result.stderr
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def number(text: str) -> float | None:
    return None if text in ("", "None") else float(text)


def published(home_db: Path, metric: str) -> dict[tuple[str, str], float | None]:
    rows = query(home_db, "select cast(week_start as varchar), segment, value from marts.metric_weekly where metric = ?", [metric])
    return {(week, segment): value for week, segment, value in rows}


def same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9))


def test_time_to_smile_median_by_segment_by_week_equals_metric_weekly(semantic_project, tmp_path, handmade_publication):
    """The analyst's query: the Kaplan-Meier median as published, row for row."""
    rows = mf_query(semantic_project, tmp_path, ["time_to_smile_median_hours"], ["metric_time__week", "weekly_metric__segment"])
    got = {(r["metric_time__week"][:10], r["weekly_metric__segment"]): number(r["time_to_smile_median_hours"]) for r in rows}
    want = published(handmade_publication.parent / "warehouse.duckdb", "time_to_smile_median_hours")
    assert got.keys() == want.keys()
    assert all(same(got[k], want[k]) for k in want), (got, want)
    assert got[(W1, "All")] == 2.0  # events at 0.75, 2, 26, 29 h: S(2) = 0.5
    assert got[(W2, "All")] is None  # both W2 cases censored: no median yet


def test_precomputed_metrics_equal_metric_weekly_at_week_and_segment(semantic_project, tmp_path, handmade_publication):
    names = ["time_to_smile_p90_hours", "first_reply_hours_median", "repeat_contact_rate", "csat", "nps", "churn_rate",
             "time_to_smile_median_hours_ci_lower", "time_to_smile_median_hours_ci_upper", "time_to_smile_median_hours_n"]
    rows = mf_query(semantic_project, tmp_path, names, ["metric_time__week", "weekly_metric__segment"])
    got = {(r["metric_time__week"][:10], r["weekly_metric__segment"]): r for r in rows}
    warehouse = handmade_publication.parent / "warehouse.duckdb"
    for name in names[:6]:
        for key, value in published(warehouse, name).items():
            assert same(number(got[key][name]), value), (name, key, got[key][name], value)
    assert number(got[(W1, "All")]["nps"]) == 0.0 and number(got[(W1, "SMB")]["nps"]) == -100.0
    median_w1 = query(warehouse, "select ci_lower, ci_upper, n from marts.metric_weekly "
                                 "where metric = 'time_to_smile_median_hours' and week_start = ? and segment = 'All'", [W1])[0]
    assert tuple(number(got[(W1, "All")][c]) for c in names[6:]) == median_w1 == (0.75, 29.0, 4)


def test_rates_over_cases_by_week(semantic_project, tmp_path, handmade_publication):
    names = ["handoffs_per_case", "owner_resolution_rate", "first_contact_resolution_rate", "reopen_rate", "cases"]
    rows = mf_query(semantic_project, tmp_path, names, ["metric_time__week"])
    got = {r["metric_time__week"][:10]: {n: number(r[n]) for n in names} for r in rows}
    # W1: handoff counts 1, 1, 0, 0 over 4 cases; first owner solved 1, 7, 8 of 4 solved; FCR case 7; reopened case 2
    assert got[W1] == {"handoffs_per_case": 0.5, "owner_resolution_rate": 0.75,
                       "first_contact_resolution_rate": 0.25, "reopen_rate": 0.25, "cases": 4}
    warehouse = handmade_publication.parent / "warehouse.duckdb"
    for name in names[:4]:  # no segment in the group-by = metric_weekly's 'All'
        want = {week: value for (week, segment), value in published(warehouse, name).items() if segment == "All"}
        assert {week: got[week][name] for week in want} == pytest.approx(want, abs=1e-9), name


def test_handoff_context_rate_by_the_cases_week(semantic_project, tmp_path, handmade_publication):
    """Like metric_weekly, metric_time puts a handoff in its case's started_at week (not handoff_at's)."""
    by_segment = mf_query(semantic_project, tmp_path, ["handoff_context_rate"], ["metric_time__week", "case__segment"])
    got = {(r["metric_time__week"][:10], r["case__segment"]): number(r["handoff_context_rate"]) for r in by_segment}
    whole = mf_query(semantic_project, tmp_path, ["handoff_context_rate"], ["metric_time__week"])
    got.update({(r["metric_time__week"][:10], "All"): number(r["handoff_context_rate"]) for r in whole})
    want = published(handmade_publication.parent / "warehouse.duckdb", "handoff_context_rate")
    assert got == pytest.approx(want, abs=1e-9)
    assert got[(W1, "All")] == 1.0 and got[(W2, "All")] == 0.0  # cases 1 and 2 carried a note; case 3 did not
