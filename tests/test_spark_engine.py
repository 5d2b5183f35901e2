"""The Spark engine (issue 23, docs/scale-out.md): `smile run --engine spark` builds the same
dbt project in a local Spark session (dbt-spark's `session` method) and publishes the marts
the embedded DuckDB engine publishes: every published mart equal, column names and types,
rows, and doubles to 9 decimals (conftest.comparable_rows).

Three Spark runs, each landing the raw layer with PySpark in a process of its own (the raw
tables in warehouse.duckdb are then views over Spark's files) before the dbt build (the
worked examples of metrics.md on Spark are tests/test_spark_worked_examples.py, a module of
their own so that the two workers share the Spark runs):
- a generated company of 300 tickets, as of a day long after its data ends;
- the next day's drop on top (bench/next_day.py), and a day later with nothing new: DuckDB's
  incremental builds against Spark's, which overwrite only the ranges of ticket ids a build
  reaches (docs/scale-out.md, "Incremental models").

Spark costs 0.5-3 s a model whatever the data size (stack.md), so each Spark run takes two to
three minutes here (the landing's process about a minute of it on a first landing) and this
module about 15 minutes. Both homes of a comparison share a pseudonym
key: the pseudonyms are keyed per installation (docs/privacy.md).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import comparable_rows, query, run_smile
from time_to_smile.bench.next_day import write_next_day
from time_to_smile.generator import generate_company
from time_to_smile.loading.source_collections import COLLECTIONS
from time_to_smile.settings import DBT_PROJECT_DIR, resolve_paths
from time_to_smile.spark.landing_process import landed_tables
from time_to_smile.spark.session import spark_conf

#: Long after the generated company's last day (2026-11-15): open cases have aged for weeks.
GENERATED_AS_OF = "2027-01-11 00:00:00"
NEXT_DAY_AS_OF = "2027-01-12 00:00:00"
DAY_AFTER_AS_OF = "2027-01-13 00:00:00"


def published_marts(serving: Path) -> list[str]:
    return [name for (name,) in query(serving, "select table_name from information_schema.tables "
                                               "where table_schema = 'marts' and table_name <> 'publication' order by 1")]


def column_types(serving: Path, mart: str) -> list[tuple]:
    return query(serving, "select column_name, data_type from information_schema.columns "
                          "where table_schema = 'marts' and table_name = ? order by ordinal_position", [mart])


def assert_same_marts(duckdb_serving: Path, spark_serving: Path) -> None:
    marts = published_marts(duckdb_serving)
    assert marts and published_marts(spark_serving) == marts
    for mart in marts:
        assert column_types(spark_serving, mart) == column_types(duckdb_serving, mart), mart
        duck, spark = comparable_rows(duckdb_serving, f"marts.{mart}"), comparable_rows(spark_serving, f"marts.{mart}")
        assert spark == duck, f"marts.{mart}: {len(duck)} rows on DuckDB, {len(spark)} on Spark; " \
                              f"first difference {next(((d, s) for d, s in zip(duck, spark) if d != s), None)}"


def home_sharing_key(home: Path, key_from: Path) -> Path:
    """A new home holding the pseudonym key of another, so both publish the same pseudonyms."""
    key_file = resolve_paths(home).pseudonym_key_file
    key_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resolve_paths(key_from).pseudonym_key_file, key_file)
    return home


#: The generated company's work-list models on Spark are cut into ranges of this many ticket ids.
WORK_RANGE_SIZE = 10


def range_files(home: Path, model: str = "intermediate.int_case_clocks_computed") -> dict[str, set[str]]:
    """A work-list model's Parquet files on Spark, by range folder
    (macros/spark_work_list_partitions.sql)."""
    schema, name = model.split(".")
    store = resolve_paths(home).home / "spark" / "warehouse" / f"{schema}.db" / f"{name}__by_range"
    return {folder.name: {file.name for file in folder.glob("*.parquet")} for folder in store.glob("work_range_id=*")}


def spark_run(home: Path, sources: Path, as_of: str):
    summary = run_smile(home, sources, as_of=as_of, engine="spark")
    assert summary.published, summary.lines()
    return summary


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    """A generated company run on DuckDB and on Spark, then the next day's drop on both, then a
    day later with nothing new on both. After each step: both publications, the runs, and on
    Spark a work-list model's files by range and the cases its build recomputed."""
    root = tmp_path_factory.mktemp("spark_company")
    sources = root / "sources"
    generate_company(sources, tickets=300, accounts=30, seed=23)
    duck_home, spark_home = root / "duckdb", root / "spark"
    steps, added = [], {}
    with pytest.MonkeyPatch.context() as env:
        # ranges of 10 ticket ids: the day's changes and the open cases reach some, not all
        env.setenv("SMILE_SPARK_WORK_RANGE_SIZE", str(WORK_RANGE_SIZE))
        for as_of in (GENERATED_AS_OF, NEXT_DAY_AS_OF, DAY_AFTER_AS_OF):
            if as_of == NEXT_DAY_AS_OF:
                added = write_next_day(sources, sources, dt.datetime.fromisoformat(GENERATED_AS_OF))
            duck = run_smile(duck_home, sources, as_of=as_of)
            assert duck.published, duck.lines()
            spark = spark_run(spark_home if steps else home_sharing_key(spark_home, duck_home), sources, as_of)
            kept = root / f"step{len(steps)}"
            kept.mkdir()
            shutil.copyfile(duck_home / "serving.duckdb", kept / "duckdb.duckdb")
            shutil.copyfile(spark_home / "serving.duckdb", kept / "spark.duckdb")
            recomputed = {case_id for (case_id,) in query(spark_home / "warehouse.duckdb",
                                                          "select case_id from intermediate.int_cases_recomputed")}
            steps.append({"duck": duck, "spark": spark, "kept": kept, "ranges": range_files(spark_home),
                          "recomputed": recomputed, "raw_kinds": raw_kinds(spark_home)})
    return {"root": root, "sources": sources, "duck_home": duck_home, "spark_home": spark_home, "added": added,
            "steps": steps}


def raw_kinds(home: Path) -> dict[str, str]:
    """What each table Spark lands is in the home's warehouse: a VIEW (over the files Spark
    landed) or a BASE TABLE (the DuckDB loader's)."""
    kinds = dict(query(home / "warehouse.duckdb", "select table_schema || '.' || table_name, table_type "
                                                  "from information_schema.tables"))
    return {table: kinds.get(table) for table in landed_tables()}


def test_dbts_spark_session_and_pysparks_share_one_catalog(tmp_path, monkeypatch):
    """profiles.yml's spark target and spark/session.py give a home the same settings, so the
    PySpark landing and dbt's build see the same tables (a drift would split the catalog)."""
    import jinja2
    import yaml

    monkeypatch.setenv("SMILE_HOME", str(tmp_path))
    for variable in ("SMILE_SPARK_DRIVER_MEMORY", "SMILE_SPARK_SHUFFLE_PARTITIONS", "SMILE_SPARK_THREADS"):
        monkeypatch.delenv(variable, raising=False)
    rendered = jinja2.Template((DBT_PROJECT_DIR / "profiles.yml").read_text()).render(
        env_var=lambda name, default=None: os.environ.get(name, default))  # dbt's env_var, as dbt renders it
    target = yaml.safe_load(rendered)["time_to_smile"]["outputs"]["spark"]
    assert (target["type"], target["method"]) == ("spark", "session")
    assert {key: str(value) for key, value in target["server_side_parameters"].items()} == spark_conf(tmp_path)


def test_a_generated_company_publishes_the_same_marts_on_spark(company):
    first = company["steps"][0]["kept"]
    assert query(first / "spark.duckdb", "select count(*) from marts.fct_case_journey")[0][0] >= 250
    assert_same_marts(first / "duckdb.duckdb", first / "spark.duckdb")


def test_a_day_later_spark_publishes_what_duckdbs_incremental_build_publishes(company):
    first, second = company["steps"][0], company["steps"][1]
    assert sum(company["added"].values()) > 0
    assert not any("full refresh" in line for line in second["duck"].progress), "DuckDB's second build is incremental"
    # the new day reached the published cases
    assert query(second["kept"] / "duckdb.duckdb", "select count(*) from marts.fct_case_journey")[0][0] > \
        query(first["kept"] / "duckdb.duckdb", "select count(*) from marts.fct_case_journey")[0][0]
    assert_same_marts(second["kept"] / "duckdb.duckdb", second["kept"] / "spark.duckdb")


def test_a_day_with_nothing_new_publishes_the_same_marts_on_both(company):
    third = company["steps"][2]
    assert_same_marts(third["kept"] / "duckdb.duckdb", third["kept"] / "spark.duckdb")


def ranges_of(case_ids: set[int]) -> set[str]:
    return {f"work_range_id={case_id // WORK_RANGE_SIZE}" for case_id in case_ids}


def rewritten(before: dict[str, set[str]], after: dict[str, set[str]]) -> set[str]:
    """The ranges whose files a build replaced, added or removed."""
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def test_sparks_incremental_builds_rewrite_only_the_ranges_they_reach(company):
    """macros/spark_work_list_partitions.sql: the first build puts every case in its id's range;
    the next one rewrites the ranges holding a case it recomputes and moves those cases to range
    -1; from then on a build rewrites range -1 and only the ranges of cases that join or leave
    the work list (the cases recomputed last time and this time, symmetric difference)."""
    first, second, third = company["steps"]
    recomputed_range = "work_range_id=-1"
    assert recomputed_range not in first["ranges"] and len(first["ranges"]) >= 300 // WORK_RANGE_SIZE
    # the day's new cases go straight to range -1: only ranges the first build wrote are rewritten
    assert rewritten(first["ranges"], second["ranges"]) == \
        (ranges_of(second["recomputed"]) & first["ranges"].keys()) | {recomputed_range}
    steady = rewritten(second["ranges"], third["ranges"])
    assert recomputed_range in steady
    assert steady <= ranges_of(second["recomputed"] ^ third["recomputed"]) | {recomputed_range}
    assert len(steady) < len(rewritten(first["ranges"], second["ranges"]))
    untouched = second["ranges"].keys() - steady
    assert untouched, "a day with nothing new leaves most ranges alone"


def test_a_spark_run_says_how_it_built_and_records_its_engine(company):
    first, second, third = (step["spark"] for step in company["steps"])
    assert any("full refresh: no complete build yet" in line for line in first.progress)
    assert not any("full refresh" in line for line in second.progress + third.progress), "later builds are incremental"
    assert any("nothing loaded since the last complete build" in line for line in third.progress)
    for summary in (first, second, third):
        assert any("from Spark into the warehouse" in line for line in summary.progress)
    # Spark landed the raw layer (one process per run) and DuckDB's raw tables are views over its files
    assert any(line.strip().startswith(f"landed {len(COLLECTIONS)} new files in") for line in first.progress)
    assert any(line.strip().startswith("landed 0 new files in") for line in third.progress)
    for step in company["steps"]:
        assert set(step["raw_kinds"].values()) == {"VIEW"}, step["raw_kinds"]
    with duckdb.connect(str(company["spark_home"] / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select engine from raw._dbt_builds order by finished_at").fetchall() == [("spark",)] * 3


def test_back_on_duckdb_after_spark_the_build_starts_over(company):
    """The warehouse's intermediate tables are DuckDB's last build's, not Spark's: the first
    DuckDB build after a Spark one is a full refresh, and publishes the same marts again."""
    ledger = "select count(*) from raw._loaded_files"
    files_landed = query(company["spark_home"] / "warehouse.duckdb", ledger)
    summary = run_smile(company["spark_home"], company["sources"], as_of=DAY_AFTER_AS_OF)
    assert summary.published, summary.lines()
    assert any("full refresh: the last complete build was on spark" in line for line in summary.progress)
    # the views over Spark's files are tables again, and the DuckDB loader carried on from Spark's ledger
    assert any("views are tables again" in line for line in summary.progress)
    assert set(raw_kinds(company["spark_home"]).values()) == {"BASE TABLE"}
    assert query(company["spark_home"] / "warehouse.duckdb", ledger) == files_landed
    assert_same_marts(company["duck_home"] / "serving.duckdb", company["spark_home"] / "serving.duckdb")


def test_an_empty_work_list_mart_comes_back_empty_with_its_contract_columns(tmp_path):
    """A work-list mart Spark built with no rows (a company with no handoff yet) has no files, as
    Spark writes no partition folder for an empty result: it comes back as an empty table with the
    columns its contract declares; a table with neither files, contract nor earlier build is named."""
    from time_to_smile.defs.dbt.assets import contract_columns
    from time_to_smile.spark.export import INTERMEDIATE_READ_AFTER_BUILD, export_marts

    warehouse_dir = tmp_path / "spark" / "warehouse"
    with duckdb.connect() as con:  # the intermediate tables the export always reads, as Spark leaves them
        for table in INTERMEDIATE_READ_AFTER_BUILD:
            schema, name = table.split(".")
            folder = warehouse_dir / f"{schema}.db" / name
            folder.mkdir(parents=True)
            con.execute(f"copy (select 1 as case_id) to '{folder / 'part-0.parquet'}' (format parquet)")
    (warehouse_dir / "marts.db" / "fct_handoffs__by_range").mkdir(parents=True)  # the table, without a range
    contracts = contract_columns()
    counts = export_marts(["fct_handoffs"], tmp_path / "warehouse.duckdb", tmp_path, contracts)
    assert counts == {"fct_handoffs": 0}
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        columns = con.execute("select column_name, lower(data_type) from information_schema.columns "
                              "where table_schema = 'marts' and table_name = 'fct_handoffs' order by ordinal_position").fetchall()
    declared = [(name, {"string": "varchar"}.get(kind, kind)) for name, kind in contracts["marts.fct_handoffs"]]
    assert columns == declared and len(columns) == 12
    with pytest.raises(RuntimeError, match="marts.metric_weekly_summary with no rows, and neither a contract"):
        export_marts(["metric_weekly_summary"], tmp_path / "warehouse.duckdb", tmp_path, contracts)
