"""A generated company through the real pipeline: every file loaded, every contract
column published, phases that add up, Dagster lineage recorded, and a second run on
the same files changing nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from streamlit.testing.v1 import AppTest

from tests.conftest import GENERATED_AS_OF, comparable_rows, file_digest, query, run_smile
from time_to_smile.generator.texts import JIRA_PROJECTS
from time_to_smile.settings import PROJECT_ROOT, STREAMLIT_ENTRY
from time_to_smile.loading.source_collections import COLLECTIONS

AS_OF = GENERATED_AS_OF

# interface.md: the published columns analysts rely on
CONTRACT = {
    "fct_case_journey": "case_id account_id channel priority started_at first_reply_at smiled_at smile_status "
    "time_to_smile_hours elapsed_hours first_response_hours support_investigation_hours engineering_hours "
    "close_the_loop_hours waiting_on_customer_hours reopen_gap_hours handoff_count reopen_count first_owner_id "
    "resolved_by_first_owner is_first_contact_resolution lifecycle_stage",
    "fct_case_phases": "case_id segment_start segment_end phase holder calendar_hours business_hours",
    "fct_handoffs": "case_id handoff_at from_assignee_id to_assignee_id from_group to_group to_engineering carried_context",
    "fct_lifecycle_stage_visits": "account_id stage cycle_number entered_at exited_at days_in_stage",
    "metric_weekly": "metric week_start segment value ci_lower ci_upper n",
    "metric_catalog": "metric definition perspective unit grain",
}


@pytest.fixture(scope="module")
def company(generated_company):
    """The generated company's first run (shared with the browser test)."""
    return generated_company


def test_every_record_of_every_file_is_in_raw(company):
    root, counts, first = company
    warehouse = root / "home" / "warehouse.duckdb"
    for collection in COLLECTIONS:
        path = root / "sources" / collection.folder / f"{collection.name}.jsonl"
        ids = {json.loads(line)[collection.id_path.removeprefix("$.")] for line in path.read_text().splitlines() if line}
        assert query(warehouse, f"select count(*) from raw.{collection.table}") == [(len(ids),)], collection.table
    assert sum(first.quarantined.values()) == 0
    assert query(warehouse, "select count(*) from raw._quarantine") == [(0,)]


def test_published_marts_carry_the_contract_columns(company):
    serving = company[0] / "home" / "serving.duckdb"
    for table, columns in CONTRACT.items():
        published = {name for (name,) in query(serving, "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?", [table])}
        assert set(columns.split()) <= published, (table, set(columns.split()) - published)
        assert query(serving, f"select count(*) > 0 from marts.{table}") == [(True,)], table


def test_every_case_is_cut_into_phases_that_add_up(company):
    serving = company[0] / "home" / "serving.duckdb"
    mismatches = query(serving, """
        select j.case_id from marts.fct_case_journey j
        left join (select case_id, sum(calendar_hours) as hours from marts.fct_case_phases group by 1) p using (case_id)
        where abs(coalesce(p.hours, 0) - j.elapsed_hours) > 1e-6
           or (j.smile_status = 'smiling' and abs(j.time_to_smile_hours - p.hours) > 1e-6)
    """)
    assert mismatches == []
    statuses = dict(query(serving, "select smile_status, count(*) from marts.fct_case_journey group by 1"))
    assert set(statuses) == {"smiling", "frowning", "open"}
    # censored cases keep their clock: no Time to Smile, but an elapsed time
    assert query(serving, "select count(*) from marts.fct_case_journey where smile_status <> 'smiling' and (time_to_smile_hours is not null or elapsed_hours is null)") == [(0,)]


def test_cases_exclude_deleted_and_merged_tickets(company):
    root = company[0]
    tickets = [json.loads(line) for line in (root / "sources/zendesk/tickets.jsonl").read_text().splitlines()]
    expected = {t["id"] for t in tickets if t["status"] != "deleted" and "closed_by_merge" not in t["tags"]}
    assert len(expected) < len(tickets)
    assert {c for (c,) in query(root / "home" / "serving.duckdb", "select case_id from marts.fct_case_journey")} == expected


def test_projects_and_accounts_are_published_by_the_names_the_sources_give(company):
    root = company[0]
    serving = root / "home" / "serving.duckdb"

    def records(relative: str) -> list[dict]:
        return [json.loads(line) for line in (root / "sources" / relative).read_text().splitlines() if line]

    # the generator names its Jira projects (fields.project.name: PLAT is Platform) ...
    projects = {i["fields"]["project"]["key"]: i["fields"]["project"]["name"] for i in records("jira/issues.jsonl")}
    assert projects == {key: JIRA_PROJECTS[key] for key in projects}
    # ... and the stack rank carries each issue's project name
    published = dict(query(serving, "select distinct project_key, project_name from marts.fct_bug_stack_rank"))
    assert published and published == {key: projects[key] for key in published}
    # every account by its CRM name (a company's name, docs/privacy.md)
    accounts = {a["Id"]: a["Name"] for a in records("salesforce/Account.jsonl")}
    assert dict(query(serving, "select account_id, account_name from marts.fct_account_health")) == accounts


def test_run_is_recorded_in_dagster_with_checks(company):
    root, _, first = company
    assert first.checks_passed > 10 and first.checks_failed == []
    assert any("check marts/fct_case_journey:gx_fct_case_journey passed" in line for line in first.progress)
    assert (root / "home" / "dagster" / "history").exists()  # `dagster dev` with this DAGSTER_HOME shows the run


def test_second_run_on_the_same_files_changes_nothing(company):
    root = company[0]
    warehouse, serving = root / "home" / "warehouse.duckdb", root / "home" / "serving.duckdb"
    raw_before = {c.table: query(warehouse, f"select record_id, record_version, cast(record as varchar), _loaded_at from raw.{c.table} order by 1") for c in COLLECTIONS}
    marts_before = {t: comparable_rows(serving, f"marts.{t}") for t in CONTRACT}
    second = run_smile(root / "home", root / "sources", as_of=AS_OF)
    assert second.published
    for c in COLLECTIONS:
        assert query(warehouse, f"select record_id, record_version, cast(record as varchar), _loaded_at from raw.{c.table} order by 1") == raw_before[c.table], c.table
    for t in CONTRACT:
        assert comparable_rows(serving, f"marts.{t}") == marts_before[t], t
    assert query(warehouse, "select count(*) from raw._quarantine") == [(0,)]


def test_app_renders_the_publication(company, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from time_to_smile.settings import STREAMLIT_ENTRY

    home = company[0] / "home"
    monkeypatch.setenv("SMILE_HOME", str(home))
    app = AppTest.from_file(str(STREAMLIT_ENTRY))
    app.run(timeout=60)  # the Overview: the latest full week before the as-of, Monday 2026-11-16
    assert not app.exception
    week_cases = query(home / "serving.duckdb", "select count(*) from marts.fct_case_journey "
                       "where started_at >= '2026-11-09' and started_at < '2026-11-16'")[0][0]
    assert week_cases > 0 and {m.label: m.value for m in app.metric}["Cases started that week"] == f"{week_cases:,}"
    app.switch_page("app_pages/where_the_time_goes.py").run(timeout=60)
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    # default period: the 8 full ISO weeks before the as-of (Monday 2026-11-16)
    expected = query(home / "serving.duckdb", "select count(*) from marts.fct_case_journey "
                     "where started_at >= '2026-09-21' and started_at < '2026-11-16'")[0][0]
    assert expected > 0 and metrics["Cases started"] == f"{expected:,}"
    assert metrics["Median Time to Smile (hours)"] not in ("", "Not reached")


def test_the_readme_examples_work_as_written_on_the_sample_company(generated_company, monkeypatch):
    """Every SQL example of the README returns rows through `smile sql`, and its filter URL opens
    a sensible view, on the company `smile demo` generates (as of its own last day)."""
    home = generated_company[0] / "home"
    readme = (PROJECT_ROOT / "README.md").read_text()
    examples = re.findall(r"```sql\n(.*?)```", readme, re.S)
    assert len(examples) >= 2
    for sql in examples:
        done = subprocess.run([sys.executable, "-m", "time_to_smile.cli", "sql", "--csv", "--home", str(home), sql],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert len(done.stdout.strip().splitlines()) >= 2, f"no rows for:\n{sql}"

    params = dict(pair.split("=") for pair in re.search(r"`\?(persona=[^`]+)`", readme).group(1).split("&"))
    monkeypatch.setenv("SMILE_HOME", str(home))
    at = AppTest.from_file(str(STREAMLIT_ENTRY))
    at.switch_page("app_pages/where_the_time_goes.py")
    for name, value in params.items():
        at.query_params[name] = value
    at.run(timeout=60)
    assert not at.exception
    start, end = at.date_input(key="tts_period").value
    assert (str(start), str(end)) == (params["from"], params["to"]) and start < end
    started = {m.label: m.value for m in at.metric}["Cases started"]
    assert int(started.replace(",", "")) > 0, "the example's filters select cases"
