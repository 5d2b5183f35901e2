"""The worked examples of metrics.md on the Spark engine: the hand-made company, whose worked
examples tests/test_worked_example.py checks by hand on DuckDB, run with `smile run --engine
spark` publishes the same marts, so the examples hold on Spark too (issue 23). One Spark run,
about four minutes here; the generated company's runs are tests/test_spark_engine.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import query
from tests.fixtures import handmade_company
from tests.test_spark_engine import assert_same_marts, home_sharing_key, spark_run


@pytest.fixture(scope="module")
def handmade_on_spark(handmade_publication, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("handmade_spark")
    sources = handmade_company.write(root / "sources")
    home = home_sharing_key(root / "home", handmade_publication.parent)
    spark_run(home, sources, handmade_company.AS_OF)
    return home / "serving.duckdb"


def test_worked_examples_publish_the_same_marts_on_spark(handmade_publication, handmade_on_spark):
    assert_same_marts(handmade_publication, handmade_on_spark)
    # one of the worked examples, read on Spark's publication itself: case 1's 29 hours
    assert query(handmade_on_spark, "select smile_status, time_to_smile_hours from marts.fct_case_journey "
                                    "where case_id = 1") == [("smiling", 29.0)]
