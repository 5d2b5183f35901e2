"""Comment sentiment, computed once per comment (metrics.md "Comment sentiment").

Every public comment in the raw audits is scored with VADER (offline; its lexicon
ships in the package) and kept in `enrichment.comment_sentiment` keyed by event id.
A run reads only the audits loaded after the newest audit it has scored (each score
keeps its audit's `_loaded_at`) and skips comments already scored, so history is never
re-read. VADER scores one text at a time in Python and gives the same text the same
score, so each distinct text of a batch is scored once (macros, canned replies and
"thanks!" repeat) and the scores are joined back in SQL; a large batch (a first load)
is split across every core. dbt decides which comments count (end users' public comments
on cases).
"""

from __future__ import annotations

import multiprocessing
import os
import signal

import duckdb
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ..warehouse import table_exists

# VADER's conventional thresholds (metrics.md): compound >= 0.05 positive, <= -0.05 negative.
POSITIVE_AT, NEGATIVE_AT = 0.05, -0.05
ANALYZER = "vaderSentiment 3.3"

DDL = """
create schema if not exists enrichment;
create table if not exists enrichment.comment_sentiment (
    event_id bigint primary key,
    ticket_id bigint not null,
    compound double not null,
    label varchar not null,
    analyzer varchar not null,
    scored_at timestamp not null
);
alter table enrichment.comment_sentiment add column if not exists audit_loaded_at timestamp;
-- scores made before the column existed: every audit loaded before a run's scoring was read by it
update enrichment.comment_sentiment set audit_loaded_at = scored_at where audit_loaded_at is null;
"""

# Raw audits are read before validation, so every cast is a try_cast: a malformed audit
# is quarantined by dbt, not a crash here. VADER's cost grows faster than the text, so a
# very long comment is scored on its first MAX_SCORED_CHARACTERS characters.
MAX_SCORED_CHARACTERS = 5000

# The load parsed each audit's events once into a typed list (source_collections.SCHEMAS),
# which the events model in dbt unnests too: nothing here parses JSON.
NEW_COMMENTS = f"""
with events as (
    select
        try_cast(ticket_id as bigint) as ticket_id,
        _loaded_at as audit_loaded_at,
        unnest(events) as event
    from raw.zendesk_ticket_audits
    where _loaded_at > coalesce((select max(audit_loaded_at) from enrichment.comment_sentiment), '-infinity'::timestamp)
),
comments as (
    select
        try_cast(event.id as bigint) as event_id,
        ticket_id,
        audit_loaded_at,
        left(coalesce(event.body, ''), {MAX_SCORED_CHARACTERS}) as body
    from events
    where event.type = 'Comment'
      and coalesce(try_cast(event.public as boolean), false)
)
select * from comments
where event_id is not null
  and event_id not in (select event_id from enrichment.comment_sentiment)
"""


# VADER's conventional thresholds, applied where the scores are stored
LABEL_SQL = (f"case when compound >= {POSITIVE_AT} then 'positive' "
             f"when compound <= {NEGATIVE_AT} then 'negative' else 'neutral' end")


# Below this many comments one process is quicker than starting workers.
PARALLEL_FROM = 20_000
CHUNK = 25_000

_analyzer: SentimentIntensityAnalyzer | None = None


def compound_scores(bodies: list[str]) -> list[float]:
    """VADER's compound score of each text (one analyzer per process)."""
    global _analyzer
    _analyzer = _analyzer or SentimentIntensityAnalyzer()
    # the library scores one text at a time; only new comments reach this loop
    return [_analyzer.polarity_scores(body)["compound"] for body in bodies]


def _worker_default_signals() -> None:
    """A spawned worker inherits every signal its parent ignores. After a Dagster execution
    in a process whose SIGINT is ignored (nohup, a CI runner), Dagster leaves SIGTERM ignored
    too (it maps SIGTERM to SIGINT's handler), and Pool.terminate could never end a worker."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def score_all(bodies: list[str]) -> list[float]:
    """compound_scores over every core for a large batch. Workers are spawned, not forked:
    the parent holds DuckDB's threads, which a fork would copy mid-flight."""
    workers = os.cpu_count() or 1
    if len(bodies) < PARALLEL_FROM or workers == 1:
        return compound_scores(bodies)
    chunks = [bodies[i:i + CHUNK] for i in range(0, len(bodies), CHUNK)]
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_worker_default_signals) as pool:
        scores = [score for chunk in pool.imap(compound_scores, chunks) for score in chunk]
        # let the workers finish on their own; leaving the block terminates only what is left
        pool.close()
        pool.join()
    return scores


def score_new_comments(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Score the public comments not scored yet; return counts per label of the new ones."""
    con.execute(DDL)
    if not table_exists(con, "raw", "zendesk_ticket_audits"):
        return {}
    # the comments stay in DuckDB; only their distinct texts travel to Python and back
    con.execute(f"create or replace temp table _new_comments as {NEW_COMMENTS}")
    try:
        texts = con.execute("select distinct body from _new_comments").df()
        if texts.empty:
            return {}
        texts["compound"] = score_all(texts["body"].tolist())
        con.register("_text_scores", texts)
        try:
            con.execute(
                "create or replace temp table _scored as "
                f"select distinct on (event_id) event_id, ticket_id, compound, {LABEL_SQL} as label, audit_loaded_at "
                "from _new_comments join _text_scores using (body)"
            )
        finally:
            con.unregister("_text_scores")
        con.execute(
            "insert into enrichment.comment_sentiment (event_id, ticket_id, compound, label, analyzer, scored_at, audit_loaded_at) "
            "select event_id, ticket_id, compound, label, ?, now()::timestamp, audit_loaded_at from _scored",
            [ANALYZER],
        )
        return dict(con.execute("select label, count(*) from _scored group by label").fetchall())
    finally:
        con.execute("drop table if exists _new_comments; drop table if exists _scored")


__all__ = ["score_new_comments", "LABEL_SQL"]
