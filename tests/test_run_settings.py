"""A run's settings go to its job explicitly (issue 21): two runs in one process each use
their own as-of and full-refresh setting, and a run leaves the process's environment as it
found it (it used to set SMILE_AS_OF and never clear it, so the next run inherited it)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from tests.conftest import query
from tests.fixtures import handmade_company
from time_to_smile.defs.resources import SmileSettings
from time_to_smile.pipeline_run import run_pipeline
from time_to_smile.settings import resolve_paths


@pytest.fixture(scope="module")
def two_runs_in_one_process(tmp_path_factory):
    root = tmp_path_factory.mktemp("settings")
    source_dir = handmade_company.write(root / "sources")
    paths = resolve_paths(root / "home", source_dir)
    environments, runs = [], []
    for kwargs in ({"as_of": handmade_company.AS_OF, "full_refresh": True}, {}):
        before = dict(os.environ)
        lines: list[str] = []
        summary = run_pipeline(paths, echo=lines.append, **kwargs)
        assert summary.published, summary.lines()
        environments.append((before, dict(os.environ)))
        runs.append((summary, lines, query(paths.serving, "select as_of, run_id from marts.publication")[0]))
    return paths, environments, runs


def test_each_run_uses_its_own_as_of(two_runs_in_one_process):
    _, _, [(first, _, (first_as_of, first_run)), (second, _, (second_as_of, second_run))] = two_runs_in_one_process
    assert (first_run, second_run) == (first.run_id, second.run_id)
    assert str(first_as_of) == handmade_company.AS_OF
    # the second run gave no as-of: measured up to its own start, not the first run's instant
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    assert now - dt.timedelta(minutes=30) < second_as_of <= now


def test_each_run_uses_its_own_full_refresh_setting(two_runs_in_one_process):
    _, _, [(_, first_lines, _), (_, second_lines, _)] = two_runs_in_one_process
    assert any("full refresh: asked for" in line for line in first_lines), first_lines
    assert any("incremental: " in line for line in second_lines), second_lines


def test_a_run_leaves_the_environment_as_it_found_it(two_runs_in_one_process):
    _, environments, _ = two_runs_in_one_process
    for before, after in environments:
        assert after == before
        assert "SMILE_AS_OF" not in after and "SMILE_FULL_REFRESH" not in after


def test_the_run_config_records_the_runs_settings(two_runs_in_one_process):
    """The Dagster UI shows each run's settings, and re-executing a run repeats them."""
    import dagster as dg

    paths, _, [(first, _, _), _] = two_runs_in_one_process
    with dg.DagsterInstance.from_config(str(paths.dagster_home)) as instance:
        config = instance.get_run_by_id(first.run_id).run_config["resources"]["smile"]["config"]
    assert config == SmileSettings.for_run(paths, as_of=handmade_company.AS_OF, full_refresh=True).run_config()


def test_dagster_dev_reads_the_settings_from_the_environment():
    settings = SmileSettings.from_environment({"SMILE_HOME": "/h", "SMILE_AS_OF": "2026-01-02 03:04:05",
                                               "SMILE_FULL_REFRESH": "1"})
    assert (settings.home, settings.source_dir, settings.as_of, settings.full_refresh) == ("/h", "", "2026-01-02 03:04:05", True)
    assert SmileSettings.from_environment({}).full_refresh is False
