"""Every dbt data test the Dagster UI shows as an asset check says what it asserts:
its YAML `description:` when it has one, otherwise a sentence made from the test."""

from __future__ import annotations

import json
import shutil

import dagster as dg
import pytest
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from time_to_smile.dbt_build.check_descriptions import check_description
from time_to_smile.settings import DBT_PROJECT_DIR

DBT_UNIQUE_ID = "dagster_dbt/unique_id"  # the metadata dagster-dbt puts on the checks it makes of dbt tests


def dbt_checks(specs) -> dict[str, dg.AssetCheckSpec]:
    return {spec.metadata[DBT_UNIQUE_ID]: spec for spec in specs if DBT_UNIQUE_ID in spec.metadata}


def test_every_dbt_check_in_the_definitions_carries_a_description():
    from time_to_smile.definitions import defs

    graph = defs.resolve_asset_graph()
    checks = dbt_checks(graph.get_check_spec(key) for key in graph.asset_check_keys)
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    assert len(checks) > 60  # the project's generic data tests, on models and seeds
    for unique_id, spec in checks.items():
        test = manifest["nodes"][unique_id]
        assert spec.description and spec.description.strip(), unique_id
        if test["description"].strip():  # written in the YAML: shown word for word
            assert spec.description == test["description"].strip(), unique_id
        elif (test.get("test_metadata") or {}).get("name") == "not_null":
            assert spec.description == f"`{test['column_name']}` is never null", unique_id
    seed_check = dg.AssetCheckKey(dg.AssetKey(["reference", "lifecycle_stages"]), "not_null_lifecycle_stages_stage")
    assert graph.get_check_spec(seed_check).description == "`stage` is never null"
    # the singular test reads two marts; its config's meta.dagster.ref names the one it checks
    phases_check = dg.AssetCheckKey(dg.AssetKey(["marts", "fct_case_journey"]), "assert_phase_hours_sum_to_elapsed")
    assert "add up exactly to its Time to Smile" in graph.get_check_spec(phases_check).description


def test_a_yaml_description_is_kept_word_for_word(tmp_path):
    """dbt 1.9+ keeps a data test's `description:` on the test node: on a copy of the project
    with one described test (and one not), the checks the project's translator makes."""
    from time_to_smile.defs.dbt.assets import TRANSLATOR, dbt_cli

    copy = tmp_path / "dbt_project"
    copy.mkdir()
    for folder in ("models", "macros", "seeds", "tests"):
        shutil.copytree(DBT_PROJECT_DIR / folder, copy / folder)
    for file in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(DBT_PROJECT_DIR / file, copy / file)
    (copy / "seeds" / "check_fixture.csv").write_text("code,label\n1,a\n")
    (copy / "seeds" / "_check_fixture.yml").write_text("""
seeds:
  - name: check_fixture
    columns:
      - name: code
        data_tests:
          - not_null:
              description: Every fixture row has a code, or the join to it drops the row.
          - unique
""")
    (copy / "tests" / "_check_fixture_tests.yml").write_text("""
data_tests:
  - name: assert_phase_hours_sum_to_elapsed
    description: The phase hours of each case add up to its elapsed hours.
""")
    project = DbtProject(project_dir=copy, profiles_dir=copy)
    parse = dbt_cli(project).cli(["parse", "--quiet"], target_path=project.target_path)
    parse.wait()
    assert parse.is_successful()

    @dbt_assets(manifest=project.manifest_path, project=project, dagster_dbt_translator=TRANSLATOR)
    def copied(dbt: DbtCliResource):  # never run: only its checks are read
        yield from ()

    checks = {spec.name: spec.description for spec in copied.check_specs}
    assert checks["not_null_check_fixture_code"] == "Every fixture row has a code, or the join to it drops the row."
    assert checks["unique_check_fixture_code"] == "`code` is unique"
    manifest = json.loads(project.manifest_path.read_text())
    singular = manifest["nodes"]["test.time_to_smile.assert_phase_hours_sum_to_elapsed"]
    assert check_description(singular) == "The phase hours of each case add up to its elapsed hours."


def test_a_singular_test_without_a_description_is_described_by_its_opening_comment():
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    singular = manifest["nodes"]["test.time_to_smile.assert_phase_hours_sum_to_elapsed"]
    assert "phase hours of a smiling case add up exactly to its Time to Smile" in check_description(singular)
    assert check_description({**singular, "raw_code": "select 1 where false"}) == (
        "No row fails the query in tests/assert_phase_hours_sum_to_elapsed.sql (`assert_phase_hours_sum_to_elapsed`)")


def generic(name, column=None, namespace=None, where=None, **kwargs):
    """A dbt generic test node as the manifest holds it."""
    return {"name": f"{name}_x", "description": "", "column_name": column, "config": {"where": where},
            "test_metadata": {"name": name, "namespace": namespace,
                              "kwargs": {"model": "{{ get_where_subquery(ref('m')) }}", "column_name": column, **kwargs}}}


@pytest.mark.parametrize("test, said", [
    (generic("not_null", "case_id"), "`case_id` is never null"),
    (generic("accepted_values", "smile_status", values=["open", "smiling", "frowning"]),
     "`smile_status` is one of open, smiling, frowning"),
    (generic("relationships", "account_id", to="ref('stg_salesforce__accounts')", field="account_id"),
     "Every `account_id` exists in stg_salesforce__accounts.account_id"),
    (generic("relationships", "ticket_id", to="source('zendesk', 'tickets')", field="id"),
     "Every `ticket_id` exists in zendesk.tickets.id"),
    (generic("expression_is_true", expression="a <= b"), "Every row satisfies `a <= b`"),
    (generic("unique_combination_of_columns", namespace="dbt_utils", combination_of_columns=["case_id", "week"]),
     "Each combination of `case_id`, `week` is unique"),
    (generic("accepted_range", "csat", namespace="dbt_utils", min_value=0, max_value=1), "`csat` is between 0 and 1"),
    (generic("not_null", "solved_at", where="status = 'solved'"),
     "`solved_at` is never null (rows where status = 'solved')"),
    (generic("within_business_hours", "replied_at", schedule="default"),
     "`replied_at` passes `within_business_hours` (schedule=default)"),
    ({**generic("unique", "case_id"), "config": {"meta": {"description": "From meta."}}}, "From meta."),
])
def test_a_sentence_from_the_tests_metadata(test, said):
    assert check_description(test) == said
