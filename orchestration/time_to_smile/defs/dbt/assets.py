"""The dbt project as Dagster assets: models keyed by layer, tests as asset checks."""


import importlib.metadata
import json
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtCliRuntimeError, DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging.version import Version

from ...dbt_build import build_state, clock_only
from ...dbt_build.check_descriptions import check_description
from ...dbt_build.failure import DbtBuildFailed, build_failure_reason, failed_nodes, file_version, read_run_results
from ...process_memory import release_freed_memory
from ...settings import DBT_EXECUTABLE, DBT_PROJECT_DIR, ENGINES, dbt_environment, dbt_project_files, environment
from ...spark.export import export_marts
from ...spark.handover import hand_over_raw, handover_dir
from ...spark.session import check_spark_available
from ...warehouse import connect
from ..resources import SmileSettings

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def ensure_manifest(project: DbtProject = DBT_PROJECT) -> None:
    """Parse the project when its manifest is missing or older than any project file, so
    a fresh clone, `smile run` and `dagster dev` see the current models. A manifest parsed
    for another SMILE_HOME describes the same models and is kept: re-parsing for the new
    home's profile would only move the parse dbt build does anyway when the profile
    changes, at the cost of one more dbt start (about 4 s)."""
    manifest = project.manifest_path
    sources = [*dbt_project_files("models", "macros", "seeds", "tests"), DBT_PROJECT_DIR / "profiles.yml"]
    if not manifest.exists() or manifest.stat().st_mtime < max(p.stat().st_mtime for p in sources):
        dbt_cli(project).cli(["parse", "--quiet"], target_path=project.target_path).wait()


class LeanDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without two things it does before every dbt command that
    these assets do not need: 4.4 s of a run whose floor is about 24 s.

    - It asks the executable for its version (`dbt --version`: 2.4 s, including a request
      to PyPI for the latest release). Ours is this environment's dbt, so its version is
      the installed dbt-core's.
    - It opens a dbt adapter in Dagster's process (1.9 s), used only to fetch row counts
      and column metadata after a build (`fetch_row_counts`, `fetch_column_metadata`),
      which these assets do not ask for.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 (dagster-dbt's signature)
        return None


def dbt_cli(project: DbtProject = DBT_PROJECT) -> DbtCliResource:
    return LeanDbtCliResource(project_dir=project, dbt_executable=DBT_EXECUTABLE)


class LayeredTranslator(DagsterDbtTranslator):
    """Key models and seeds by their layer (`staging/...`, `intermediate/...`,
    `marts/...`, `reference/...`) and group them by layer in the Dagster UI. Sources
    keep the `raw/<table>` keys their YAML names, so lineage runs from the files.
    Each dbt data test's asset check says what it asserts (dbt_build/check_descriptions.py)."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] in ("model", "seed"):
            layer = props["config"].get("schema") or "reference"
            spec = spec.replace_attributes(key=dg.AssetKey([layer, props["name"]]), group_name=layer)
        return spec

    def get_asset_check_spec(self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project: DbtProject | None) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        return spec._replace(description=check_description(self.get_resource_props(manifest, unique_id)))


TRANSLATOR = LayeredTranslator()

#: A pipeline build leaves dbt's unit tests out, as dbt advises for production builds:
#: their fixtures do not change with the data, and they took ~2 s of node time a run.
#: tests/test_dbt_unit_tests.py runs them.
BUILD_ARGS = ["--exclude-resource-type", "unit_test"]


def build_dbt_assets() -> dg.AssetsDefinition:
    ensure_manifest()

    @dbt_assets(manifest=DBT_PROJECT.manifest_path, project=DBT_PROJECT, dagster_dbt_translator=TRANSLATOR)
    def time_to_smile_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource, smile: SmileSettings):
        """`dbt build`: seeds, models and data tests, in dependency order. Incremental
        where it can be (docs/incremental.md), in full when it must. dbt's unit tests
        check the SQL, not the data, so they run in the test suite, not in every build."""
        paths = smile.paths()
        if smile.engine not in ENGINES:
            raise dg.Failure(f"unknown engine {smile.engine!r}: the dbt project builds on {' or '.join(ENGINES)}")
        with connect(paths.warehouse) as con:
            plan = build_state.prepare(con, requested_full_refresh=smile.full_refresh, engine=smile.engine)
        # dbt's DuckDB takes its whole budget beside this process
        context.log.info(f"returned {release_freed_memory() >> 20} MiB of freed memory to the system before dbt")
        args = ["build", *BUILD_ARGS]
        if plan.full_refresh:
            context.log.info(f"full refresh: {plan.full_refresh_reason}")
            args.append("--full-refresh")
        elif plan.clock_only:
            left_out = clock_only.excluded_nodes(json.loads(DBT_PROJECT.manifest_path.read_text()))
            context.log.info(f"incremental: nothing loaded since the last complete build, so only what the as-of "
                             f"moves is rebuilt ({len(left_out)} unchanged models, seeds and tests left out)")
            args += ["--exclude", " ".join(left_out)]
        else:
            context.log.info(f"incremental: the tickets with records loaded after {plan.changes_since}")
        target_path = paths.dbt_target
        if smile.engine == "spark":
            args += spark_build_args(paths)
            context.log.info("the Spark engine: the build runs in a Spark session on the raw tables Spark landed")
            target_path = paths.dbt_target / "spark"  # its own parse: a profile change would re-parse each time
        # One target folder per home, not dagster-dbt's folder per run: dbt reuses its last
        # parse there (a full parse is ~4 s more, and the project-wide parse names another
        # home's warehouse), and a home's build artifacts stay with it.
        run_results = target_path / "run_results.json"
        earlier_run_results = file_version(run_results)
        # dbt's process gets this run's home and pseudonym key; Dagster's keeps its environment
        # (dagster-dbt starts dbt from os.environ and takes no environment of its own)
        with environment(dbt_environment(paths)):
            invocation = dbt.cli(args, context=context, target_path=target_path)
        try:
            yield from invocation.stream()
        except DagsterDbtCliRuntimeError:
            # dagster-dbt's error (raised once every event above is out) names the command and
            # repeats each error line of dbt's output, compiled paths and all: name the failed
            # nodes and why instead, in one line. dbt's whole output stays in the step's logs.
            nodes = failed_nodes(read_run_results(run_results, earlier_run_results) or {}, invocation.manifest)
            if not nodes:  # no node ran (a parse error, say): dagster-dbt's error is all there is
                raise
            raise DbtBuildFailed(build_failure_reason(nodes)) from None
        if smile.engine == "spark":
            counts = export_marts(published_mart_names(), paths.warehouse, paths.home, contract_columns())
            context.log.info(f"brought {len(counts)} marts ({sum(counts.values())} rows) from Spark into the warehouse "
                             "for the mart checks and the publication")
        # a partial selection (the Dagster UI) leaves other incremental models behind
        if not context.is_subset:
            with connect(paths.warehouse) as con:
                build_state.record(con, plan)

    return time_to_smile_dbt


def published_mart_names() -> list[str]:
    """Every model in the marts layer is published."""
    manifest = json.loads(DBT_PROJECT.manifest_path.read_text())
    return sorted(node["name"] for node in manifest["nodes"].values()
                  if node["resource_type"] == "model" and node["config"].get("schema") == "marts")


def contract_columns() -> dict[str, list[tuple[str, str]]]:
    """The declared columns (name, data type) of each model with an enforced contract, by `schema.name`."""
    manifest = json.loads(DBT_PROJECT.manifest_path.read_text())
    return {f"{node['config']['schema']}.{node['name']}": [(c["name"], c["data_type"]) for c in node["columns"].values()]
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["config"].get("contract", {}).get("enforced")}


def published_mart_keys() -> list[dg.AssetKey]:
    return [dg.AssetKey(["marts", name]) for name in published_mart_names()]


def spark_build_args(paths) -> list[str]:
    """dbt's arguments for a build on the `spark` target (profiles.yml): the tables only DuckDB
    writes are handed over first, and the build registers them as sources (macros/spark_sources.sql)."""
    check_spark_available()
    tables = hand_over_raw(paths.warehouse, paths.home)
    handed_over = {"handover_dir": str(handover_dir(paths.home)), "handed_over_tables": tables}
    return ["--target", "spark", "--vars", json.dumps(handed_over)]
