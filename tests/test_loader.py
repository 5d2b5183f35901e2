"""The raw loader on its own: DuckDB readers, versions, quarantine, re-loads."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from time_to_smile.loading.drop_files import UnrecognisedFile, collection_files, unrecognised_files
from time_to_smile.loading.loader import load_collection
from time_to_smile.loading.source_collections import BY_TABLE, COLLECTIONS
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


def test_every_file_the_loader_does_not_read_is_listed_with_a_reason(tmp_path):
    src = tmp_path / "src"
    loaded = ["zendesk/tickets.jsonl", "zendesk/tickets.2026-03-13.jsonl.gz", "zendesk/ticket_audits.late.jsonl",
              "jira/issues.jsonl", "salesforce/Account.jsonl", "salesforce/AccountHistory.jsonl"]
    hidden = ["zendesk/.tickets.4f2a.jsonl.part", ".DS_Store", ".git/config", "zendesk/.cache/tickets.jsonl"]
    stray = {
        "README.txt": "not in a system folder",
        "hubspot/contacts.jsonl": "unknown system folder: hubspot",
        "zendesk/2026-03/tickets.jsonl": "in a subfolder: the loader reads only files directly in zendesk/",
        "zendesk/ticket_metrics.jsonl": "unknown collection: not one of sources.md's zendesk collections",
        "jira/sprints.jsonl": "unknown collection: not one of sources.md's jira collections",
        "zendesk/tickets-2026-03-13.jsonl": "misnamed: did you mean tickets.2026-03-13.jsonl?",
        "zendesk/tickets_march.jsonl.gz": "misnamed: did you mean tickets.march.jsonl.gz?",
        "salesforce/AccountHistory-2026.jsonl": "misnamed: did you mean AccountHistory.2026.jsonl?",
        "zendesk/tickets.json": "not JSON Lines: the loader reads tickets.jsonl or .jsonl.gz",
        "zendesk/tickets.csv": "not JSON Lines: the loader reads tickets.jsonl or .jsonl.gz",
        "zendesk/tickets-2026.json": "not JSON Lines: the loader reads tickets.jsonl or .jsonl.gz",
    }
    for relative in [*loaded, *hidden, *stray]:
        write_lines(src / relative, ['{"id": 1}'])
    assert unrecognised_files(src) == [UnrecognisedFile(path, stray[path]) for path in sorted(stray)]
    # the loader's own rule decides: everything it reads is left out, and nothing else is
    read = {p.relative_to(src).as_posix() for c in COLLECTIONS for p in collection_files(src, c)}
    assert read == set(loaded)
    assert unrecognised_files(tmp_path / "missing") == []


def test_a_name_in_the_wrong_case_gets_the_right_one(tmp_path):
    src = tmp_path / "src"
    write_lines(src / "salesforce/account.jsonl", ['{"Id": "001A"}'])
    if (src / "salesforce/Account.jsonl").exists():
        pytest.skip("a case-insensitive disk: the loader reads account.jsonl as Account.jsonl")
    write_lines(src / "Zendesk/users.jsonl", ['{"id": 1}'])
    assert unrecognised_files(src) == [
        UnrecognisedFile("Zendesk/users.jsonl", "unknown system folder: Zendesk (did you mean zendesk/?)"),
        UnrecognisedFile("salesforce/account.jsonl", "misnamed: did you mean Account.jsonl?"),
    ]


def test_each_record_is_typed_as_it_loads_every_value_as_its_text(tmp_path):
    """One json_transform per line fills the typed columns staging reads (source_collections.SCHEMAS):
    scalars as their JSON text, objects as structs, arrays as lists; a value of another shape is null."""
    src = tmp_path / "src"
    write_lines(src / "zendesk/ticket_audits.jsonl", [
        json.dumps({"id": 1, "ticket_id": 7, "created_at": "2026-03-02T09:00:00Z", "author_id": 9.0, "via": {"channel": "web"},
                    "events": [{"id": 11, "type": "Comment", "public": True, "body": "hi", "value": ["a", "b"]}]}),
        json.dumps({"id": 2, "ticket_id": "x", "created_at": "2026-03-02T09:00:00Z", "via": "web", "events": {"id": 12}}),
    ])
    with connect(tmp_path / "w.duckdb") as con:
        load_collection(con, BY_TABLE["zendesk_ticket_audits"], src)
        rows = con.execute("select record_id, ticket_id, author_id, via, events, json_extract_string(record, '$.via')"
                           " from raw.zendesk_ticket_audits order by 1").fetchall()
    assert rows[0][:4] == ("1", "7", "9.0", {"channel": "web"})
    assert rows[0][4] == [{"id": "11", "type": "Comment", "field_name": None, "value": '["a","b"]', "previous_value": None,
                           "author_id": None, "body": "hi", "public": "true"}]
    # a string where an object was expected: its fields are null; an object where a list was: null.
    # The audits keep their text only then (validation reads it to tell "missing" from "wrong
    # type"): the typed columns hold all of a well-formed audit.
    assert rows[1][1:5] == ("x", None, {"channel": None}, None) and rows[1][5] == "web"
    assert rows[0][5] is None


def test_a_raw_table_of_the_old_shape_is_migrated_in_place_with_nothing_lost(tmp_path):
    """A home loaded before the typed columns existed (the record as JSON only): the next load gives
    the table its typed columns, parsed from the records it holds, and keeps every row's text, version,
    source and load time; the drop need not hold the old files any more."""
    src = tmp_path / "src"
    old = [{"id": 1, "generated_timestamp": 200, "status": "solved", "via": {"channel": "email"}, "tags": ["closed_by_merge"]},
           {"id": 2, "generated_timestamp": 100, "status": "new", "custom_fields": [{"id": 5, "value": "x"}]}]
    with connect(tmp_path / "w.duckdb") as con:
        con.execute("create schema raw")
        con.execute("create table raw.zendesk_tickets (record_id varchar not null, record_version timestamp, record json not null,"
                    " _source_file varchar not null, _source_line bigint not null, _loaded_at timestamp not null)")
        for line, record in enumerate(old, start=1):
            con.execute("insert into raw.zendesk_tickets values (?, to_timestamp(?)::timestamp, ?, 'gone.jsonl', ?, '2026-01-01')",
                        [str(record["id"]), record["generated_timestamp"], json.dumps(record), line])
        before = con.execute("select record_id, record_version, cast(record as varchar), _source_file, _source_line, _loaded_at"
                             " from raw.zendesk_tickets order by 1").fetchall()
        write_lines(src / "zendesk/tickets.jsonl", [json.dumps({"id": 3, "generated_timestamp": 300, "status": "open"})])
        result = load_collection(con, TICKETS, src)
        assert result.total_records == 3
        after = con.execute("select record_id, record_version, record, _source_file, _source_line, _loaded_at"
                            " from raw.zendesk_tickets where record_id in ('1', '2') order by 1").fetchall()
        assert after == before
        typed = con.execute("select record_id, status, via.channel, tags, custom_fields from raw.zendesk_tickets order by 1").fetchall()
        assert typed == [("1", "solved", "email", ["closed_by_merge"], None), ("2", "new", None, None, [{"id": "5", "value": "x"}]),
                         ("3", "open", None, None, None)]
        columns = [c for (c,) in con.execute("select column_name from duckdb_columns() where table_name = 'zendesk_tickets'").fetchall()]
        assert columns == ["record_id", "record_version", *TICKETS.columns, "record", "_source_file", "_source_line", "_loaded_at"]


def test_a_typed_table_keeps_its_columns_when_its_schema_changes(tmp_path):
    """The audits keep no text for a well-formed audit, so a later change of their schema keeps the
    columns it has (a dropped-and-re-added column stands for a new field: null, the text is gone)."""
    src = tmp_path / "src"
    write_lines(src / "zendesk/ticket_audits.jsonl", [json.dumps(
        {"id": 1, "ticket_id": 7, "created_at": "2026-03-02T09:00:00Z", "author_id": 5, "events": [{"id": 3, "type": "Comment"}]})])
    audits = BY_TABLE["zendesk_ticket_audits"]
    with connect(tmp_path / "w.duckdb") as con:
        load_collection(con, audits, src)
        con.execute("alter table raw.zendesk_ticket_audits drop column author_id")
        load_collection(con, audits, src)  # nothing new to load: the table is migrated all the same
        assert con.execute("select ticket_id, author_id, events[1].type, record from raw.zendesk_ticket_audits").fetchall() == [
            ("7", None, "Comment", None)]
        assert [c for (c,) in con.execute("select column_name from duckdb_columns() where table_name = 'zendesk_ticket_audits'"
                                          " order by column_index").fetchall()][2:2 + len(audits.columns)] == list(audits.columns)
