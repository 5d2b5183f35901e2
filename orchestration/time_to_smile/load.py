"""Load one raw collection from the file drop into `raw.<table>` with DuckDB's readers.

Rules (sources.md, issue 2):
- every `.jsonl` / `.jsonl.gz` file of the collection is read line by line by
  DuckDB's CSV reader (one VARCHAR column, no delimiter or quoting), so the
  loader never loops over rows in Python;
- a line that is not a JSON object with an id is quarantined in
  `raw._quarantine` with its file, line number, reason and raw text;
  blank lines carry no record and are skipped;
- the newest version of a record wins (`record_version`); on equal versions a
  later file or line wins only if its content differs, so loading the same
  file twice changes nothing;
- a file already loaded with the same size and modification time is skipped
  (`raw._loaded_files`), and each file loads in one transaction, so a crash
  never leaves half a file behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .source_collections import SourceCollection
from .warehouse import scalar

MANIFEST_DDL = """
create schema if not exists raw;
create table if not exists raw._loaded_files (
    collection varchar not null,
    file_path varchar not null,
    file_size bigint not null,
    file_mtime_ns bigint not null,
    lines_read bigint not null,
    records_upserted bigint not null,
    lines_quarantined bigint not null,
    loaded_at timestamp not null
);
create table if not exists raw._quarantine (
    collection varchar not null,
    file_path varchar not null,
    line_number bigint not null,
    reason varchar not null,
    raw_line varchar,
    quarantined_at timestamp not null
);
"""


@dataclass
class LoadResult:
    collection: str
    files_loaded: list[str] = field(default_factory=list)
    files_skipped: list[str] = field(default_factory=list)
    lines_read: int = 0
    records_upserted: int = 0
    lines_quarantined: int = 0
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    total_records: int = 0


def collection_files(source_dir: Path, collection: SourceCollection) -> list[Path]:
    """The collection's files, oldest drop first: `<name>.jsonl[.gz]` and dated drops `<name>.<tag>.jsonl[.gz]`."""
    folder = source_dir / collection.folder
    if not folder.is_dir():
        return []
    patterns = [f"{collection.name}.jsonl", f"{collection.name}.jsonl.gz", f"{collection.name}.*.jsonl", f"{collection.name}.*.jsonl.gz"]
    files = {p for pattern in patterns for p in folder.glob(pattern) if p.is_file()}
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def ensure_tables(con: duckdb.DuckDBPyConnection, collection: SourceCollection) -> None:
    con.execute(MANIFEST_DDL)
    con.execute(
        f"""
        create table if not exists raw.{collection.table} (
            record_id varchar not null primary key,
            record_version timestamp,
            record json not null,
            _source_file varchar not null,
            _source_line bigint not null,
            _loaded_at timestamp not null
        )
        """
    )


def _version_sql(collection: SourceCollection) -> str:
    """A UTC timestamp from the first version path present: epoch seconds or an ISO string."""
    parts = [
        f"""case when json_type(record, '{path}') in ('UBIGINT', 'BIGINT', 'DOUBLE')
                 then to_timestamp(cast(json_extract_string(record, '{path}') as double))
                 else try_cast(json_extract_string(record, '{path}') as timestamptz) end"""
        for path in collection.version_paths
    ]
    return f"cast(coalesce({', '.join(parts)}) as timestamp)"


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def load_file(con: duckdb.DuckDBPyConnection, collection: SourceCollection, path: Path) -> tuple[int, int, int, dict[str, int]]:
    """Load one file in one transaction; return (lines_read, records_upserted, lines_quarantined, reasons)."""
    file_sql = _sql_string(str(path))
    con.execute("begin transaction")
    try:
        con.execute(
            f"""
            create or replace temp table _lines as
            select row_number() over () as line_number, line
            from read_csv({file_sql}, columns = {{'line': 'VARCHAR'}}, header = false, delim = '\x1e',
                          quote = '', escape = '', auto_detect = false, strict_mode = false)
            """
        )
        con.execute(
            f"""
            create or replace temp table _parsed as
            select
                line_number,
                line,
                case
                    when not json_valid(line) then 'malformed JSON'
                    when json_type(cast(line as json)) <> 'OBJECT' then 'not a JSON object'
                    when json_extract_string(cast(line as json), '{collection.id_path}') is null
                        then 'missing required key: {collection.id_path.removeprefix("$.")}'
                end as reason
            from _lines
            where trim(coalesce(line, '')) <> ''
            """
        )
        con.execute(
            f"""
            insert into raw._quarantine
            select '{collection.table}', {file_sql}, line_number, reason, line, now()::timestamp
            from _parsed where reason is not null
            """
        )
        con.execute(
            f"""
            create or replace temp table _batch as
            with records as (
                select line_number, cast(line as json) as record
                from _parsed where reason is null
            ),
            keyed as (
                select
                    json_extract_string(record, '{collection.id_path}') as record_id,
                    {_version_sql(collection)} as record_version,
                    record,
                    line_number
                from records
            )
            -- within one file, the newest version wins; on a tie the later line wins
            select * from keyed
            qualify row_number() over (
                partition by record_id order by record_version desc nulls last, line_number desc
            ) = 1
            """
        )
        upserted = scalar(
            con,
            f"""
            merge into raw.{collection.table} as current
            using _batch as incoming
            on current.record_id = incoming.record_id
            when matched and (
                incoming.record_version > current.record_version
                or (current.record_version is null and incoming.record_version is not null)
                or (incoming.record_version is not distinct from current.record_version
                    and cast(incoming.record as varchar) <> cast(current.record as varchar))
            ) then update set
                record_version = incoming.record_version,
                record = incoming.record,
                _source_file = {file_sql},
                _source_line = incoming.line_number,
                _loaded_at = now()::timestamp
            when not matched then insert values (
                incoming.record_id, incoming.record_version, incoming.record, {file_sql},
                incoming.line_number, now()::timestamp
            )
            """,
        )
        lines_read, quarantined = con.execute(
            "select count(*), count(*) filter (where reason is not null) from _parsed"
        ).fetchall()[0]
        reasons = dict(con.execute("select reason, count(*) from _parsed where reason is not null group by 1").fetchall())
        stat = path.stat()
        con.execute(
            "insert into raw._loaded_files values (?, ?, ?, ?, ?, ?, ?, now()::timestamp)",
            [collection.table, str(path), stat.st_size, stat.st_mtime_ns, lines_read, upserted, quarantined],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return lines_read, upserted, quarantined, reasons


def load_collection(con: duckdb.DuckDBPyConnection, collection: SourceCollection, source_dir: Path) -> LoadResult:
    ensure_tables(con, collection)
    result = LoadResult(collection=collection.table)
    for path in collection_files(source_dir, collection):
        stat = path.stat()
        already = scalar(
            con,
            "select count(*) from raw._loaded_files where collection = ? and file_path = ? and file_size = ? and file_mtime_ns = ?",
            [collection.table, str(path), stat.st_size, stat.st_mtime_ns],
        )
        if already:
            result.files_skipped.append(str(path))
            continue
        lines, upserted, quarantined, reasons = load_file(con, collection, path)
        result.files_loaded.append(str(path))
        result.lines_read += lines
        result.records_upserted += upserted
        result.lines_quarantined += quarantined
        for reason, count in reasons.items():
            result.quarantine_reasons[reason] = result.quarantine_reasons.get(reason, 0) + count
    result.total_records = scalar(con, f"select count(*) from raw.{collection.table}")
    return result
