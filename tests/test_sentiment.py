"""Comment sentiment is scored once per comment: a second pass scores nothing."""

from __future__ import annotations

import json

from time_to_smile.load import load_collection
from time_to_smile.sentiment import label_for, score_new_comments
from time_to_smile.source_collections import BY_TABLE
from time_to_smile.warehouse import connect


def audit(audit_id, ticket_id, *comments):
    return json.dumps({"id": audit_id, "ticket_id": ticket_id, "created_at": "2026-03-02T10:00:00Z", "author_id": 1,
                       "events": [{"id": audit_id * 10 + i, "type": "Comment", "body": body, "public": public, "author_id": 1}
                                  for i, (body, public) in enumerate(comments)]})


def test_labels_follow_vader_thresholds():
    assert (label_for(0.05), label_for(0.0499), label_for(-0.0499), label_for(-0.05)) == ("positive", "neutral", "neutral", "negative")


def test_each_comment_is_scored_once(tmp_path):
    src = tmp_path / "src" / "zendesk"
    src.mkdir(parents=True)
    (src / "ticket_audits.jsonl").write_text(audit(1, 7, ("I love it, great job", True), ("internal note", False)) + "\n")
    with connect(tmp_path / "w.duckdb") as con:
        load_collection(con, BY_TABLE["zendesk_ticket_audits"], tmp_path / "src")
        assert score_new_comments(con) == {"positive": 1}  # the private note is not scored
        first = con.execute("select event_id, label, scored_at from enrichment.comment_sentiment").fetchall()
        assert score_new_comments(con) == {}
        (src / "ticket_audits.2.jsonl").write_text(audit(2, 7, ("This is terrible and broken", True)) + "\n")
        load_collection(con, BY_TABLE["zendesk_ticket_audits"], tmp_path / "src")
        assert score_new_comments(con) == {"negative": 1}
        rows = con.execute("select event_id, label, scored_at from enrichment.comment_sentiment order by event_id").fetchall()
        assert rows[0] == first[0] and len(rows) == 2  # the old score was not recomputed
