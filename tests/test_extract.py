"""Live API extraction against a real loopback HTTP server serving a generated company.

Every collection must come out exactly as served (same records, none missing,
none twice) through pagination, injected 429/5xx/dropped connections, crashes
and resumes; and the extracted drop must load with the existing loader.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from pathlib import Path

import pytest
from time_to_smile.extract import ExtractConfig, ExtractError, MissingCredentialError, extract_all
from time_to_smile.extract.client import StateStore
from time_to_smile.extract.server import Fault, FakeApiServer, ServerConfig
from time_to_smile.generator import FILES, generate_company
from time_to_smile.load import collection_files, load_collection
from time_to_smile.source_collections import COLLECTIONS
from time_to_smile.warehouse import connect, scalar

EMAIL, TOKEN, SF_TOKEN = "ops@example.com", "zd-secret", "sf-secret"


@pytest.fixture(scope="module")
def company(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("company")
    generate_company(root, accounts=5, tickets=60, days=20, seed=3)
    return root


@pytest.fixture
def server(company):
    expected = {
        "zendesk": "Basic " + base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode(),
        "jira": "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode(),
        "salesforce": f"Bearer {SF_TOKEN}",
    }
    config = ServerConfig(page_size=7, page_sizes={"jira": 2, "salesforce": 4}, expected_auth=expected)
    with FakeApiServer(company, config) as srv:
        yield srv


def env_for(url: str) -> dict[str, str]:
    return {
        "ZENDESK_BASE_URL": url, "ZENDESK_EMAIL": EMAIL, "ZENDESK_API_TOKEN": TOKEN,
        "JIRA_BASE_URL": url, "JIRA_EMAIL": EMAIL, "JIRA_API_TOKEN": TOKEN,
        "SALESFORCE_INSTANCE_URL": url, "SALESFORCE_ACCESS_TOKEN": SF_TOKEN,
    }


def config_for(server: FakeApiServer, sleeps: list[float] | None = None, **overrides) -> ExtractConfig:
    record = sleeps if sleeps is not None else []
    return ExtractConfig.from_env(env_for(server.url), backoff_base=0.001, max_attempts=4,
                                  sleep=record.append, **overrides)


def canon(records) -> Counter:
    return Counter(json.dumps(r, sort_keys=True) for r in records)


def served(company: Path, rel: str) -> Counter:
    return canon(json.loads(line) for line in (company / rel).read_text().splitlines() if line.strip())


def extracted(target: Path, collection) -> Counter:
    out: Counter = Counter()
    for path in collection_files(target, collection):
        out += canon(json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return out


def assert_exact(company: Path, target: Path) -> None:
    assert not list(target.rglob("*.part")), "a finished run leaves no partial files"
    for collection in COLLECTIONS:
        rel = f"{collection.folder}/{collection.name}.jsonl"
        want, got = served(company, rel), extracted(target, collection)
        assert got == want, f"{rel}: missing {sum((want - got).values())}, extra {sum((got - want).values())}"


def test_clean_run_extracts_every_collection_exactly(company, server, tmp_path):
    target, state = tmp_path / "drop", tmp_path / "home" / "extract_state.json"
    lines: list[str] = []
    counts = extract_all(target, state, config_for(server), progress=lines.append)
    assert {c.table for c in COLLECTIONS} == set(counts)
    assert sum(counts.values()) == sum(sum(served(company, rel).values()) for rel in FILES)
    assert_exact(company, target)
    paths = Counter(path for _, path, _ in server.requests)
    assert paths["/api/v2/incremental/tickets/cursor.json"] >= 9 and paths["/rest/api/3/search/jql"] >= 3
    assert any(p.startswith("/services/data/v60.0/query/") for p in paths), "nextRecordsUrl was followed"
    saved = json.loads(state.read_text())
    assert saved["run"]["complete"] and saved["incremental"]["zendesk_tickets"]["after_cursor"]
    assert any("complete" in line for line in lines)

    # The next run resumes the incremental ticket export from the saved cursor: nothing new.
    again = extract_all(target, state, config_for(server))
    assert again["zendesk_tickets"] == 0
    assert len(list((target / "zendesk").glob("tickets.*.jsonl"))) == 1


def test_429_5xx_and_dropped_connections_are_retried(company, server, tmp_path):
    server.config.faults = {
        4: Fault(status=429, retry_after="1"), 12: Fault(status=500), 20: Fault(drop=True),
        33: Fault(status=429, retry_after="0"), 47: Fault(status=503), 48: Fault(drop=True),
        70: Fault(status=502), 85: Fault(drop=True), 93: Fault(status=429),
    }
    sleeps: list[float] = []
    extract_all(tmp_path / "drop", tmp_path / "state.json", config_for(server, sleeps))
    assert_exact(company, tmp_path / "drop")
    outcomes = Counter(outcome for _, _, outcome in server.requests)
    assert outcomes[429] == 3 and outcomes["drop"] == 3 and outcomes[500] + outcomes[502] + outcomes[503] == 3
    assert 1.0 in sleeps and 0.0 in sleeps, "Retry-After is honoured"
    assert all(s < 0.1 for s in sleeps if s != 1.0), "5xx and drops back off from the small base delay"


def test_permanent_failure_stops_then_rerun_resumes_without_duplicates(company, server, tmp_path):
    target, state = tmp_path / "drop", tmp_path / "state.json"
    server.config.fail_paths = {"/api/v2/users.json": 503}
    with pytest.raises(ExtractError, match=r"users\.json failed after 4 attempts: 503"):
        extract_all(target, state, config_for(server))
    saved = json.loads(state.read_text())["run"]
    assert saved["collections"]["zendesk_tickets"]["status"] == "done"
    assert saved["collections"]["zendesk_users"]["pages"] == 0 and not saved["complete"]
    assert not list((target / "zendesk").glob("users.*.jsonl")), "an unfinished collection is not visible to the loader"

    server.config.fail_paths = {}
    requests_before = len(server.requests)
    counts = extract_all(target, state, config_for(server))
    assert counts["zendesk_tickets"] == 0 and counts["zendesk_ticket_audits"] == 0, "finished collections are not refetched"
    assert not any("tickets" in p for _, p, _ in server.requests[requests_before:])
    resumed = json.loads(state.read_text())["run"]
    assert resumed["id"] == saved["id"] and resumed["complete"]
    assert_exact(company, target)


@pytest.mark.parametrize("stage", ["written", "committed"])
def test_crash_mid_collection_resumes_from_last_committed_cursor(company, server, tmp_path, stage):
    target, state = tmp_path / "drop", tmp_path / "state.json"

    def crash(table: str, when: str, page: int) -> None:
        if table == "zendesk_ticket_audits" and when == stage and page == 5:
            raise KeyboardInterrupt("simulated crash")

    with pytest.raises(KeyboardInterrupt):
        extract_all(target, state, config_for(server, page_hook=crash))
    audits = StateStore(state).data["run"]["collections"]["zendesk_ticket_audits"]
    committed = 5 if stage == "committed" else 4
    assert audits["pages"] == committed and audits["records"] == 7 * committed and audits["cursor"]["after"]
    part = next((target / "zendesk").glob(".ticket_audits.*.jsonl.part"))
    assert part.stat().st_size >= audits["offset"]

    counts = extract_all(target, state, config_for(server))
    total = sum(served(company, "zendesk/ticket_audits.jsonl").values())
    assert counts["zendesk_ticket_audits"] == total - 7 * committed, "only the uncommitted pages are fetched again"
    after = StateStore(state).data["run"]["collections"]["zendesk_ticket_audits"]
    assert after["status"] == "done" and after["pages"] > committed
    assert_exact(company, target)


def test_missing_and_wrong_credentials_fail_clearly(server, tmp_path):
    env = env_for(server.url)
    del env["JIRA_API_TOKEN"]
    with pytest.raises(MissingCredentialError, match="JIRA_API_TOKEN"):
        ExtractConfig.from_env(env)
    env = env_for(server.url)
    del env["ZENDESK_BASE_URL"]
    with pytest.raises(MissingCredentialError, match="ZENDESK_SUBDOMAIN"):
        ExtractConfig.from_env(env)
    assert ExtractConfig.from_env({"ZENDESK_SUBDOMAIN": "acme", "ZENDESK_EMAIL": EMAIL, "ZENDESK_API_TOKEN": TOKEN},
                                  systems=("zendesk",)).zendesk_base_url == "https://acme.zendesk.com"

    env = env_for(server.url) | {"ZENDESK_API_TOKEN": "wrong"}
    with pytest.raises(ExtractError, match="401.*Zendesk credentials"):
        extract_all(tmp_path / "drop", tmp_path / "state.json", ExtractConfig.from_env(env, sleep=lambda s: None))
    assert len(server.requests) == 1, "an authentication failure is not retried"


def test_extracted_drop_loads_with_the_existing_loader(company, server, tmp_path):
    target, state = tmp_path / "drop", tmp_path / "state.json"
    server.config.faults = {10: Fault(drop=True), 40: Fault(status=500)}

    def crash(table: str, when: str, page: int) -> None:
        if table == "salesforce_contact" and when == "written" and page == 3:
            raise RuntimeError("simulated crash")

    with pytest.raises(RuntimeError):
        extract_all(target, state, config_for(server, page_hook=crash))
    extract_all(target, state, config_for(server))
    extract_all(target, state, config_for(server))  # a second, incremental run on top
    with connect(tmp_path / "warehouse.duckdb") as con:
        for collection in COLLECTIONS:
            result = load_collection(con, collection, target)
            assert result.lines_quarantined == 0
            rel = f"{collection.folder}/{collection.name}.jsonl"
            key = collection.id_path.removeprefix("$.")
            want = {str(json.loads(line)[key]) for line in (company / rel).read_text().splitlines() if line.strip()}
            got = {row[0] for row in con.execute(f"select record_id from raw.{collection.table}").fetchall()}
            assert got == want, collection.table
            assert scalar(con, f"select count(*) from raw.{collection.table}") == len(want)


def test_endless_rate_limiting_gives_up_with_a_clear_error(server, tmp_path):
    server.config.fail_paths = {"/rest/api/3/search/jql": 429}
    sleeps: list[float] = []
    with pytest.raises(ExtractError, match=r"Jira: POST .* still rate limited \(429\) after 3 waits"):
        extract_all(tmp_path / "drop", tmp_path / "state.json",
                    config_for(server, sleeps, max_rate_limit_waits=3, systems=("jira",)))
    assert len(sleeps) == 3
