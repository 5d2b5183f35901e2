"""Comment sentiment, computed once per comment (metrics.md "Comment sentiment").

Every public comment in the raw audits is scored with VADER (offline; its lexicon
ships in the package) and kept in `enrichment.comment_sentiment` keyed by event id.
A run scores only comments not scored before: finding them is one anti-join in
DuckDB, so history is never re-read into Python. dbt decides which comments count
(end users' public comments on cases).
"""

from __future__ import annotations

import duckdb
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from .warehouse import table_exists

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
"""

# Raw audits are read before validation, so every cast is a try_cast: a malformed audit
# is quarantined by dbt, not a crash here. VADER's cost grows faster than the text, so a
# very long comment is scored on its first MAX_SCORED_CHARACTERS characters.
MAX_SCORED_CHARACTERS = 5000

NEW_COMMENTS = f"""
with events as (
    select
        try_cast(json_extract_string(record, '$.ticket_id') as bigint) as ticket_id,
        unnest(cast(coalesce(try_cast(json_extract(record, '$.events') as json[]), []) as json[])) as event
    from raw.zendesk_ticket_audits
),
comments as (
    select
        try_cast(json_extract_string(event, '$.id') as bigint) as event_id,
        ticket_id,
        left(coalesce(json_extract_string(event, '$.body'), ''), {MAX_SCORED_CHARACTERS}) as body
    from events
    where json_extract_string(event, '$.type') = 'Comment'
      and coalesce(try_cast(json_extract_string(event, '$.public') as boolean), false)
)
select * from comments
where event_id is not null
  and event_id not in (select event_id from enrichment.comment_sentiment)
"""


def label_for(compound: float) -> str:
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


def score_new_comments(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Score the public comments not scored yet; return counts per label of the new ones."""
    con.execute(DDL)
    if not table_exists(con, "raw", "zendesk_ticket_audits"):
        return {}
    new = con.execute(NEW_COMMENTS).df()
    if new.empty:
        return {}
    analyzer = SentimentIntensityAnalyzer()
    # the library scores one text at a time; only new comments reach this loop
    new["compound"] = [analyzer.polarity_scores(body)["compound"] for body in new["body"]]
    new["label"] = new["compound"].map(label_for)
    scored = new[["event_id", "ticket_id", "compound", "label"]].drop_duplicates("event_id")
    con.register("scored", scored)
    try:
        con.execute(
            "insert into enrichment.comment_sentiment "
            "select event_id, ticket_id, compound, label, ?, now()::timestamp from scored",
            [ANALYZER],
        )
    finally:
        con.unregister("scored")
    return scored["label"].value_counts().to_dict()


__all__ = ["score_new_comments", "label_for"]
