"""The raw loader on its own: DuckDB readers, versions, quarantine, re-loads."""

from __future__ import annotations

import gzip
import json
import os

from time_to_smile.load import load_collection
from time_to_smile.source_collections import BY_TABLE
from time_to_smile.warehouse import connect

TICKETS = BY_TABLE["zendesk_tickets"]
ACCOUNTS = BY_TABLE["salesforce_account"]


def write_lines(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines))


def records(con, table):
    return con.execute(f"select record_id, record_version, cast(record as varchar) from raw.{table} order by 1").fetchall()


def test_newest_version_wins_within_a_file_and_across_drops(tmp_path):
    src = tmp_path / "src"
    write_lines(src / "zendesk/tickets.jsonl", [
        json.dumps({"id": 1, "generated_timestamp": 200, "status": "solved"}),
        json.dumps({"id": 1, "generated_timestamp": 100, "status": "open"}),  # older, later in the file
        json.dumps({"id": 2, "generated_timestamp": 100, "status": "new"}),
    ])
    with connect(tmp_path / "w.duckdb") as con:
        load_collection(con, TICKETS, src)
        assert [json.loads(r[2])["status"] for r in records(con, "zendesk_tickets")] == ["solved", "new"]
        # an older drop arriving later changes nothing; a newer one replaces
        write_lines(src / "zendesk/tickets.2.jsonl", [json.dumps({"id": 1, "generated_timestamp": 150, "status": "pending"}),
                                                    json.dumps({"id": 2, "generated_timestamp": 300, "status": "open"})])
        result = load_collection(con, TICKETS, src)
        assert result.records_upserted == 1
        assert [json.loads(r[2])["status"] for r in records(con, "zendesk_tickets")] == ["solved", "open"]


def test_reloading_the_same_files_changes_nothing(tmp_path):
    src = tmp_path / "src"
    write_lines(src / "salesforce/Account.jsonl", [json.dumps({"Id": "001A", "SystemModstamp": "2026-03-02T09:15:00.000+0000", "Name": "Acme"})])
    with connect(tmp_path / "w.duckdb") as con:
        load_collection(con, ACCOUNTS, src)
        before = con.execute("select * from raw.salesforce_account").fetchall()
        again = load_collection(con, ACCOUNTS, src)
        assert again.files_skipped and not again.files_loaded
        # even when the file looks new (touched), identical records are not rewritten
        os.utime(src / "salesforce/Account.jsonl", ns=(1, 1))
        touched = load_collection(con, ACCOUNTS, src)
        assert touched.files_loaded and touched.records_upserted == 0
        assert con.execute("select * from raw.salesforce_account").fetchall() == before
        assert before[0][1].isoformat() == "2026-03-02T09:15:00"  # Salesforce "+0000" timestamps parse as UTC


def test_gzip_blank_lines_and_quarantine_reasons(tmp_path):
    src = tmp_path / "src"
    (src / "zendesk").mkdir(parents=True)
    with gzip.open(src / "zendesk/tickets.jsonl.gz", "wt") as handle:
        handle.write('{"id": 1}\n\n{"id": 2,\n"just a string"\n{"no_id": true}\n{"id": 3}\n')
    with connect(tmp_path / "w.duckdb") as con:
        result = load_collection(con, TICKETS, src)
        assert (result.lines_read, result.records_upserted, result.lines_quarantined) == (5, 2, 3)
        assert con.execute("select line_number, reason, raw_line from raw._quarantine order by 1").fetchall() == [
            (3, "malformed JSON", '{"id": 2,'),
            (4, "not a JSON object", '"just a string"'),
            (5, "missing required key: id", '{"no_id": true}'),
        ]
        assert [r[0] for r in records(con, "zendesk_tickets")] == ["1", "3"]
