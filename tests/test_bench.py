"""`smile bench` end to end at the benchmark issue's smoke-test size, 10,000 tickets: it
generates a company, runs the real pipeline, times every stage, the hand-written baseline
and every app page, and writes its JSON and Markdown. A smoke test: it asserts that the
baseline agrees with the pipeline on every case and what the benchmark wrote, never how
fast anything was."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import query
from time_to_smile.bench.app_timing import PAGES
from time_to_smile.bench.dbt_nodes import KINDS
from time_to_smile.bench.ladder import company
from time_to_smile.bench.report import STAGES
from time_to_smile.settings import VENV_BIN

TICKETS = 10_000


def test_bench_measures_every_stage_and_page_and_writes_its_report(tmp_path):
    work, markdown = tmp_path / "work", tmp_path / "benchmarks.md"
    done = subprocess.run([str(VENV_BIN / "smile"), "bench", "--tickets", str(TICKETS), "--work-dir", str(work),
                           "--markdown", str(markdown)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((work / "bench.json").read_text())
    (rung,) = result["rungs"]
    assert result["machine"]["cores"] >= 1 and rung["tickets"] == TICKETS
    assert rung["cases_published"] > 0
    assert list(rung["stages"]) == list(STAGES)
    assert all(s["seconds"] >= 0 for s in rung["stages"].values())
    # the stages, with what ran outside any step, add up to the whole run (to the rounding)
    assert abs(sum(s["seconds"] for s in rung["stages"].values()) - rung["run"]["seconds"]) < 0.05
    assert rung["run"]["peak_memory_mib"] >= max(s["peak_memory_mib"] or 0 for s in rung["stages"].values()) > 0
    # the hand-written baseline computes Time to Smile and every phase's hours for the same cases
    assert rung["baseline"]["agrees"], rung["baseline"]["examples"]
    assert rung["baseline"]["cases"] == rung["cases_published"] and rung["baseline"]["seconds"] > 0
    assert sorted(rung["app_pages"]) == sorted(PAGES)
    # the incremental run loaded the new day: its new tickets are published, its solved ones no longer open
    home = work / "homes" / str(TICKETS)
    assert rung["incremental"]["records_added"]["zendesk/tickets.next_day.jsonl"] > 0
    assert list(rung["incremental"]["stages"]) == list(STAGES)
    # the incremental build publishes what the baseline computes from every raw record
    assert rung["incremental"]["baseline"]["agrees"], rung["incremental"]["baseline"]["examples"]
    day = [json.loads(line) for line in (home / "sources" / "zendesk" / "tickets.next_day.jsonl").read_text().splitlines()]
    arrived = [t["id"] for t in day if t["status"] == "new"]
    solved = [t["id"] for t in day if t["status"] == "solved"]
    assert arrived and solved
    published = dict(query(home / "serving.duckdb", "select case_id, smile_status from marts.fct_case_journey"))
    assert all(published[i] == "open" for i in arrived) and all(published[i] != "open" for i in solved)
    assert len(published) == rung["cases_published"] + len(arrived)
    # a day later with nothing new: only what the as-of moves is rebuilt, and it still agrees with the baseline
    quiet = rung["nothing_new"]
    assert quiet["baseline"]["agrees"], quiet["baseline"]["examples"]
    assert list(quiet["stages"]) == list(STAGES)
    quiet_nodes = sum(k["nodes"] for k in quiet["run"]["dbt_nodes"]["kinds"].values())
    assert 0 < quiet_nodes < sum(k["nodes"] for k in rung["run"]["dbt_nodes"]["kinds"].values())
    assert "The run with nothing new" in markdown.read_text()
    # dbt's node seconds by kind: every node of the build counted once, under its materialization
    manifest = json.loads((home / "dbt" / "manifest.json").read_text())["nodes"]
    incremental_models = sum(1 for n in manifest.values()
                             if n["resource_type"] == "model" and n["config"]["materialized"] == "incremental")
    for nodes in (rung["run"]["dbt_nodes"], rung["incremental"]["run"]["dbt_nodes"]):
        assert set(KINDS) <= set(nodes["kinds"]) and nodes["kinds"]["incremental models"]["nodes"] == incremental_models
        slowest = [n["seconds"] for n in nodes["slowest"]]
        assert len(slowest) == 5 and slowest == sorted(slowest, reverse=True)
        assert min(k["seconds"] for k in nodes["kinds"].values()) >= 0
    built = json.loads((home / "dbt" / "run_results.json").read_text())["results"]  # the last build's: nothing new
    assert quiet_nodes == len(built)
    text = markdown.read_text()
    assert f"| {TICKETS:,} | " in text and f"Targets at {TICKETS:,} tickets" in text
    assert "| tickets | records added | " + " | ".join(KINDS) + " | slowest nodes |" in text
    # the next bench reuses the generated company
    said = []
    assert company(work, TICKETS, said.append) == (work / "companies" / str(TICKETS), None)
    assert said == [f"  reusing the company in {work / 'companies' / str(TICKETS)}"]
