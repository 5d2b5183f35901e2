"""The home's Dagster instance (dagster_instance.py, pooled_event_log.py): Dagster's own SQLite
folders, an event log that keeps its connections open, and a config that follows the home."""

from __future__ import annotations

import shutil

import dagster as dg

from time_to_smile.dagster_instance import WRITTEN_BY_SMILE
from time_to_smile.pooled_event_log import PooledSqliteEventLogStorage
from time_to_smile.settings import prepare_home, resolve_paths


@dg.asset
def greeting() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"words": 2})


@dg.asset_check(asset=greeting)
def greeting_is_short() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


def test_a_run_recorded_through_the_pooled_event_log_reads_back_in_another_instance(tmp_path):
    paths = resolve_paths(tmp_path / "home")
    prepare_home(paths)
    job = dg.Definitions(assets=[greeting], asset_checks=[greeting_is_short]).resolve_implicit_global_asset_job_def()
    with dg.DagsterInstance.from_config(str(paths.dagster_home)) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        for _ in range(2):
            run_id = job.execute_in_process(instance=instance).run_id
    # a second process's view (`dagster dev` on the home): Dagster's default folders, every event there
    assert (paths.dagster_home / "history" / "runs" / f"{run_id}.db").exists()
    assert (paths.dagster_home / "history" / "runs" / "index.db").exists()
    with dg.DagsterInstance.from_config(str(paths.dagster_home)) as reader:
        assert len(reader.get_runs()) == 2
        kinds = {entry.dagster_event.event_type_value for entry in reader.all_logs(run_id) if entry.dagster_event}
        assert {"ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION", "PIPELINE_SUCCESS"} <= kinds
        latest = reader.get_latest_materialization_event(dg.AssetKey("greeting"))
        assert latest.run_id == run_id
        assert latest.asset_materialization.metadata["words"].value == 2


def test_the_instance_config_follows_a_moved_home(tmp_path):
    paths = resolve_paths(tmp_path / "home")
    prepare_home(paths)
    shutil.move(paths.home, tmp_path / "moved")
    moved = resolve_paths(tmp_path / "moved")
    assert str(paths.dagster_home) in (moved.dagster_home / "dagster.yaml").read_text()
    prepare_home(moved)
    config = (moved.dagster_home / "dagster.yaml").read_text()
    assert str(paths.dagster_home) not in config and str(moved.dagster_home / "history" / "runs") in config


def test_an_operators_own_dagster_yaml_is_left_alone_and_an_older_smiles_is_brought_up_to_date(tmp_path):
    paths = resolve_paths(tmp_path / "home")
    paths.dagster_home.mkdir(parents=True)
    config = paths.dagster_home / "dagster.yaml"
    config.write_text("telemetry:\n  enabled: false\n")  # what smile wrote before the pooled event log
    prepare_home(paths)
    assert config.read_text().startswith(WRITTEN_BY_SMILE)
    own = "run_monitoring:\n  enabled: true\ntelemetry:\n  enabled: false\n"
    config.write_text(own)  # an operator's: no longer smile's
    prepare_home(paths)
    assert config.read_text() == own
