"""The API path end to end: a loopback server speaking the vendors' pagination serves a
generated company; one run pulls it through Dagster (`time_to_smile_api_pipeline`), loads,
builds, checks and publishes; a second pull brings nothing twice."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import query, run_smile
from time_to_smile.extract.server import FakeApiServer, ServerConfig
from time_to_smile.generator import generate_company

CREDENTIALS = {"ZENDESK_EMAIL": "ops@example.com", "ZENDESK_API_TOKEN": "t", "JIRA_EMAIL": "ops@example.com",
               "JIRA_API_TOKEN": "t", "SALESFORCE_ACCESS_TOKEN": "sf"}


@pytest.fixture(scope="module")
def pulled(tmp_path_factory):
    root = tmp_path_factory.mktemp("api")
    served = root / "served"
    generate_company(served, accounts=5, tickets=60, days=20, seed=3)
    with FakeApiServer(served, ServerConfig(page_size=9)) as server:
        env = {**CREDENTIALS, "ZENDESK_BASE_URL": server.url, "JIRA_BASE_URL": server.url, "SALESFORCE_INSTANCE_URL": server.url}
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            first = run_smile(root / "home", root / "home" / "sources", as_of="2026-11-16 00:00:00", pull=True)
            second = run_smile(root / "home", root / "home" / "sources", as_of="2026-11-16 00:00:00", pull=True)
        finally:
            for k, v in saved.items():
                os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    return served, root / "home", first, second


def test_api_pull_publishes_what_the_server_served(pulled):
    served, home, first, _ = pulled
    assert first.published, first.lines()
    tickets = [json.loads(line) for line in (served / "zendesk/tickets.jsonl").read_text().splitlines()]
    cases = {t["id"] for t in tickets if t["status"] != "deleted" and "closed_by_merge" not in t["tags"]}
    assert {c for (c,) in query(home / "serving.duckdb", "select case_id from marts.fct_case_journey")} == cases
    audits = {json.loads(line)["id"] for line in (served / "zendesk/ticket_audits.jsonl").read_text().splitlines()}
    assert query(home / "warehouse.duckdb", "select count(*) from raw.zendesk_ticket_audits") == [(len(audits),)]


def test_second_pull_brings_nothing_twice(pulled):
    served, home, first, second = pulled
    assert second.published
    assert second.rows_loaded == first.rows_loaded
    assert query(home / "warehouse.duckdb", "select count(*) from raw._quarantine") == [(0,)]
