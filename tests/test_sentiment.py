"""Comment sentiment is scored once per comment: a second pass scores nothing."""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys

import duckdb
import pytest

from time_to_smile.enrichment import sentiment
from time_to_smile.loading.loader import load_collection
from time_to_smile.enrichment.sentiment import LABEL_SQL, score_new_comments
from time_to_smile.loading.source_collections import BY_TABLE
from time_to_smile.warehouse import connect


def audit(audit_id, ticket_id, *comments):
    return json.dumps({"id": audit_id, "ticket_id": ticket_id, "created_at": "2026-03-02T10:00:00Z", "author_id": 1,
                       "events": [{"id": audit_id * 10 + i, "type": "Comment", "body": body, "public": public, "author_id": 1}
                                  for i, (body, public) in enumerate(comments)]})


def test_labels_follow_vader_thresholds():
    labels = duckdb.sql(f"select {LABEL_SQL} from (values (0.05::double), (0.0499), (-0.0499), (-0.05)) as s(compound)").fetchall()
    assert [label for (label,) in labels] == ["positive", "neutral", "neutral", "negative"]


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
        # each score remembers when its audit was loaded: the next run reads only audits loaded after the newest
        assert con.execute(
            "select count(*) from enrichment.comment_sentiment as s join raw.zendesk_ticket_audits as a "
            "on try_cast(a.record_id as bigint) = s.event_id // 10 where s.audit_loaded_at = a._loaded_at").fetchall() == [(2,)]


def test_each_distinct_text_is_scored_once(tmp_path, monkeypatch):
    """VADER gives a text one score, so a repeated text (a macro, "thanks!") is scored
    once and its score given to every comment that says it."""
    scored_texts, vader_scores = [], sentiment.compound_scores

    def recording_scores(bodies):
        scored_texts.extend(bodies)
        return vader_scores(bodies)

    monkeypatch.setattr(sentiment, "compound_scores", recording_scores)
    src = tmp_path / "src" / "zendesk"
    src.mkdir(parents=True)
    (src / "ticket_audits.jsonl").write_text(
        audit(1, 7, ("Thanks, that fixed it!", True), ("This is terrible", True)) + "\n"
        + audit(2, 8, ("Thanks, that fixed it!", True)) + "\n")
    with connect(tmp_path / "w.duckdb") as con:
        load_collection(con, BY_TABLE["zendesk_ticket_audits"], tmp_path / "src")
        assert score_new_comments(con) == {"positive": 2, "negative": 1}
        rows = con.execute("select event_id, ticket_id, compound, label from enrichment.comment_sentiment order by event_id").fetchall()
    assert sorted(scored_texts) == ["Thanks, that fixed it!", "This is terrible"]
    thanks = vader_scores(["Thanks, that fixed it!"])[0]
    assert [(event_id, ticket_id) for event_id, ticket_id, _, _ in rows] == [(10, 7), (11, 7), (20, 8)]
    assert rows[0][2] == rows[2][2] == thanks > 0.05 and rows[1][3] == "negative"


def test_a_large_batch_is_scored_across_processes_in_order(monkeypatch):
    bodies = ["great, thank you!", "still broken", "ok", "This is terrible", "I love it", "", "meh", "awful awful awful"]
    monkeypatch.setattr(sentiment, "PARALLEL_FROM", 1)
    monkeypatch.setattr(sentiment, "CHUNK", 3)  # three chunks, so the order of their results matters
    assert sentiment.score_all(bodies) == sentiment.compound_scores(bodies)
    assert len({round(score, 3) for score in sentiment.compound_scores(bodies)}) >= 4


def test_workers_end_even_when_the_parent_ignores_sigterm(tmp_path):
    """As after a Dagster run in a process started with SIGINT ignored (nohup, CI): Dagster
    leaves SIGTERM ignored too, which spawned workers inherit. Scoring must still return
    (the pool used to hang on shutdown: its workers could not be terminated). A process of
    its own, so the test changes no signal of the test session's."""
    script = tmp_path / "score.py"
    script.write_text(
        "import signal\n"
        "from time_to_smile.enrichment import sentiment\n"
        "if __name__ == '__main__':\n"
        "    for sig in (signal.SIGTERM, signal.SIGINT):\n"
        "        signal.signal(sig, signal.SIG_IGN)\n"
        "    sentiment.PARALLEL_FROM, sentiment.CHUNK = 1, 2\n"
        "    bodies = ['good', 'bad', 'ok', 'fine', 'awful']\n"
        "    for _ in range(3):\n"
        "        assert sentiment.score_all(bodies) == sentiment.compound_scores(bodies)\n"
        "    print('scored')\n"
    )
    # the workers outlive a hung parent and hold its pipes: their output goes to files
    with open(tmp_path / "out", "w") as out, open(tmp_path / "err", "w") as err:
        scoring = subprocess.Popen([sys.executable, str(script)], stdout=out, stderr=err, start_new_session=True)
        try:
            scoring.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(scoring.pid, signal.SIGKILL)
            pytest.fail("the worker pool did not shut down")
    assert scoring.returncode == 0 and (tmp_path / "out").read_text().strip() == "scored", (tmp_path / "err").read_text()


def test_scores_from_before_the_watermark_column_get_one(tmp_path):
    """A home scored by an older version: its scores' run read every audit loaded before it."""
    with connect(tmp_path / "w.duckdb") as con:
        con.execute("create schema enrichment; create table enrichment.comment_sentiment (event_id bigint primary key, "
                    "ticket_id bigint not null, compound double not null, label varchar not null, analyzer varchar not null, "
                    "scored_at timestamp not null)")
        con.execute("insert into enrichment.comment_sentiment values (10, 1, 0.5, 'positive', 'vaderSentiment 3.3', '2026-11-20 08:00:00')")
        score_new_comments(con)
        assert con.execute("select audit_loaded_at from enrichment.comment_sentiment").fetchall() == [
            (datetime.datetime(2026, 11, 20, 8),)]
