"""One more day on top of a generated company, as the next file drop would bring it: new
tickets with their audits, and updates to tickets that were open (the agent's reply and the
solve, a new version of the ticket record). The incremental run of the benchmark loads it.

New tickets repeat the tickets of the company's last day, moved into the new day under new
ids, as they arrive: status new, with their creating audit (the same mix of channels,
priorities, organizations and first messages); one open ticket in five is solved in the new day. Ids are
offset far above anything the generator writes (its audits count from 1e9, its events from
2e10), so nothing collides. The drop is small (a day in a year), so it is written from Python.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb

AUDIT_ID_SHIFT, EVENT_ID_SHIFT = 4_000_000_000, 70_000_000_000  # copies of the last day's creating audits and events
SOLVE_AUDIT_BASE, SOLVE_EVENT_BASE = 8_000_000_000, 99_000_000_000  # the new day's solves
SOLVED_EVERY = 5  # one open ticket in five is solved in the new day
REPLY = "This is fixed on our side now; thank you for your patience."


def _iso(ts: dt.datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_next_day(company: Path, out: Path, as_of: dt.datetime) -> dict[str, int]:
    """Write the day after ``as_of`` (which is midnight after the company's last day) into ``out``
    (zendesk/tickets.next_day.jsonl, zendesk/ticket_audits.next_day.jsonl). Returns records per file."""
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        tickets = f"read_ndjson_objects('{company / 'zendesk' / 'tickets*.jsonl'}')"
        audits = f"read_ndjson_objects('{company / 'zendesk' / 'ticket_audits*.jsonl'}')"
        id_shift = con.execute(f"select max(cast(json ->> '$.id' as bigint)) from {tickets}").fetchone()[0]
        latest = con.execute(f"select max(cast(cast(json ->> '$.created_at' as timestamptz) as timestamp)) from {tickets}").fetchone()[0]
        first_day = dt.datetime.combine(latest.date(), dt.time())
        shift = as_of - first_day  # whole days: the last day's tickets land in [as_of, as_of + 1 day)
        last_day = con.execute(
            f"select json from {tickets} where cast(cast(json ->> '$.created_at' as timestamptz) as timestamp) >= ?",
            [first_day]).fetchall()
        copied_ids = [json.loads(t)["id"] for (t,) in last_day]
        con.execute("create temp table copied (id bigint)")
        con.executemany("insert into copied values (?)", [[i] for i in copied_ids])
        creating_audits = con.execute(  # each copied ticket's first audit: the one that created it
            f"select arg_min(json, cast(json ->> '$.id' as bigint)) from {audits} "
            "where cast(json ->> '$.ticket_id' as bigint) in (select id from copied) group by json ->> '$.ticket_id'").fetchall()
        still_open = con.execute(
            f"select json from {tickets} where json ->> '$.status' in ('new', 'open', 'pending', 'hold') "
            f"and cast(json ->> '$.id' as bigint) % {SOLVED_EVERY} = 0 order by cast(json ->> '$.id' as bigint)").fetchall()
        agent = con.execute(
            f"select min(cast(json ->> '$.id' as bigint)) from read_ndjson_objects('{company / 'zendesk' / 'users*.jsonl'}') "
            "where json ->> '$.role' = 'agent'").fetchone()[0]
    finally:
        con.close()

    def moved(value: str) -> str:
        return _iso(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None) + shift)

    new_tickets, new_audits = [], []
    for (text,) in last_day:  # the last day's tickets again, arriving in the new day under new ids
        ticket = json.loads(text)
        created = moved(ticket["created_at"])
        ticket.update(id=ticket["id"] + id_shift, created_at=created, updated_at=created, status="new")
        ticket.pop("url", None)
        ticket.pop("satisfaction_rating", None)
        new_tickets.append(ticket)
    for (text,) in creating_audits:
        audit = json.loads(text)
        audit.update(id=audit["id"] + AUDIT_ID_SHIFT, ticket_id=audit["ticket_id"] + id_shift, created_at=moved(audit["created_at"]))
        for event in audit["events"]:
            event["id"] += EVENT_ID_SHIFT
        new_audits.append(audit)
    solved_at = _iso(as_of + dt.timedelta(hours=10))
    for n, (text,) in enumerate(still_open):  # the agent answers and solves
        ticket = json.loads(text)
        author = ticket.get("assignee_id") or agent
        new_audits.append({"id": SOLVE_AUDIT_BASE + n, "ticket_id": ticket["id"], "created_at": solved_at, "author_id": author,
                           "via": {"channel": "web"}, "events": [
                               {"id": SOLVE_EVENT_BASE + 2 * n, "type": "Comment", "author_id": author, "body": REPLY, "public": True},
                               {"id": SOLVE_EVENT_BASE + 2 * n + 1, "type": "Change", "field_name": "status", "value": "solved",
                                "previous_value": ticket["status"]}]})
        ticket.update(status="solved", updated_at=solved_at)
        new_tickets.append(ticket)
    files = {"zendesk/tickets.next_day.jsonl": new_tickets, "zendesk/ticket_audits.next_day.jsonl": new_audits}
    for name, records in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records))
    return {name: len(records) for name, records in files.items()}
