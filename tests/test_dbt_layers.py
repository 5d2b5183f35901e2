"""The dbt project reads like a story, one way: every model is documented, and no layer
reads a later one (staging and work lists before intermediate, intermediate before the
marts, the marts before the metric inputs that count them). Read from dbt's own manifest."""

from __future__ import annotations

import json

import pytest

from time_to_smile.settings import DBT_PROJECT_DIR

#: Each folder under models/, and the folders whose models it may read. The work lists are
#: the incremental build's control (which tickets and cases to redo): any incremental model
#: reads them, and they read what identifies a ticket or a case (staging, intermediate).
MAY_READ = {
    "staging": {"staging", "work_lists"},
    "work_lists": {"staging", "work_lists", "intermediate"},
    "intermediate": {"staging", "work_lists", "intermediate"},
    "marts": {"staging", "work_lists", "intermediate", "marts", "metric_inputs"},
    "metric_inputs": {"staging", "work_lists", "intermediate", "marts", "metric_inputs"},
    "semantic": {"marts", "semantic"},
}


@pytest.fixture(scope="module")
def models():
    from time_to_smile.definitions import defs  # noqa: F401  (loading the definitions prepares the manifest)

    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    return {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "model"}


def _folder(node) -> str:
    return node["original_file_path"].split("/")[1]  # models/<folder>/...


def test_every_model_has_yaml_with_a_description_and_its_columns(models):
    undocumented = sorted(n["name"] for n in models.values() if not n.get("patch_path") or not n["description"].strip())
    assert undocumented == []
    without_columns = sorted(n["name"] for n in models.values() if not n["columns"])
    assert without_columns == []


def test_no_layer_reads_a_later_one(models):
    backwards = sorted(
        (node["name"], models[parent]["name"])
        for node in models.values()
        for parent in node["depends_on"]["nodes"]
        if parent in models and _folder(models[parent]) not in MAY_READ[_folder(node)]
    )
    assert backwards == []
    # the marts' own metric folder reads the metric inputs; the case marts do not
    assert all(_folder(models[p]) != "metric_inputs" for n in models.values()
               if n["original_file_path"].startswith("models/marts/fct_") for p in n["depends_on"]["nodes"] if p in models)
