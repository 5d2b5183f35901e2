"""Load one raw collection from the file drop into `raw.<table>` with DuckDB's readers.

Rules (sources.md, issue 2):
- every `.jsonl` / `.jsonl.gz` file of the collection is read line by line by
  DuckDB's CSV reader (one VARCHAR column, no delimiter or quoting), so the
  loader never loops over rows in Python;
- a line that cannot be a record is quarantined in `raw._quarantine` with
  its file, line number, reason and raw text: invalid UTF-8, a line over
  `MAX_LINE_BYTES`, malformed JSON, not a JSON object, no id. An empty file is
  recorded there as line 0, and a truncated gzip file loads every complete
  line before the damage and quarantines the rest as one entry. Blank lines
  carry no record and are skipped;
- the newest version of a record wins (`record_version`); on equal versions a
  later file or line wins only if its content differs, so loading the same
  file twice changes nothing;
- a file already loaded with the same size and modification time is skipped
  (`raw._loaded_files`), and each file loads in one transaction, so a crash
  never leaves half a file behind;
- lines that repeat a record without changing it (duplicates, older versions)
  are counted, and top-level fields the collection has never had are noted in
  `raw._new_fields`: the record still loads, with the field kept in its JSON;
- the newest version of each record is typed once, by one `json_transform` with the collection's schema
  (source_collections.SCHEMAS): its id, its versions and one typed column per field the
  staging models read come out of it together, and the line's text is kept beside them
  as `record` (VARCHAR, not parsed again to be stored);
- a file no collection claims is listed by `drop_files.unrecognised_files` with a reason
  (misnamed drop, unknown collection or folder, not JSON Lines), never ignored
  silently.
"""

from __future__ import annotations

import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .drop_files import collection_files
from .line_reader import read_lines, reader_reason_sql, recover_truncated_gzip, sql_string
from .raw_tables import ensure_tables, kept_text_sql, typed_columns_sql
from .source_collections import SourceCollection
from ..warehouse import scalar

TRUNCATED_GZIP = "truncated gzip file: the lines from here on were lost"
EMPTY_FILE = "empty file"


@dataclass
class LoadResult:
    collection: str
    files_loaded: list[str] = field(default_factory=list)
    files_skipped: list[str] = field(default_factory=list)
    lines_read: int = 0
    records_upserted: int = 0
    lines_quarantined: int = 0
    lines_unchanged: int = 0  # duplicates and older versions of records already held
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    new_fields: dict[str, int] = field(default_factory=dict)
    total_records: int = 0


def _version_sql(collection: SourceCollection, document: str) -> str:
    """A UTC timestamp from the first version path present in `document` (the record's
    json_transform, every value as its JSON text): epoch seconds or an ISO string."""
    parts = []
    for path in collection.version_paths:
        value = document + "".join(f'."{key}"' for key in path.removeprefix("$.").split("."))
        parts.append(
            f"""case when regexp_full_match({value}, '-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?')
                 then to_timestamp(cast({value} as double))
                 else try_cast({value} as timestamptz) end""")
    return f"cast(coalesce({', '.join(parts)}) as timestamp)"


def load_file(con: duckdb.DuckDBPyConnection, collection: SourceCollection, path: Path) -> LoadResult:
    """Load one file in one transaction; return what it did (files_loaded not filled in)."""
    file_sql = sql_string(str(path))
    result = LoadResult(collection=collection.table)
    truncated_tail: bytes | None = None
    with tempfile.TemporaryDirectory(prefix="smile-load-") as scratch_dir:
        readable = path
        try:
            con.execute("begin transaction")
            try:
                read_lines(con, readable)
            except duckdb.IOException:
                if not path.name.endswith(".gz"):
                    raise
                con.execute("rollback")
                try:
                    readable, truncated_tail = recover_truncated_gzip(path, Path(scratch_dir) / "recovered.jsonl")
                except zlib.error:
                    truncated_tail = None
                if truncated_tail is None:  # not a cut-short stream: the reader's error stands
                    raise
                # Keep every complete line before the damage; the rest is quarantined below.
                con.execute("begin transaction")
                read_lines(con, readable)
            _load_lines(con, collection, file_sql, result, truncated_tail)
            stat = path.stat()
            con.execute(
                "insert into raw._loaded_files (collection, file_path, file_size, file_mtime_ns, lines_read, records_upserted,"
                " lines_quarantined, loaded_at, lines_unchanged) values (?, ?, ?, ?, ?, ?, ?, now()::timestamp, ?)",
                [collection.table, str(path), stat.st_size, stat.st_mtime_ns, result.lines_read, result.records_upserted,
                 result.lines_quarantined, result.lines_unchanged],
            )
            con.execute("commit")
        except Exception:
            try:
                con.execute("rollback")
            except duckdb.Error:
                pass  # no transaction open
            raise
    return result


def _load_lines(con, collection: SourceCollection, file_sql: str, result: LoadResult, truncated_tail: bytes | None) -> None:
    id_key = collection.id_path.removeprefix("$.")
    # A line is read for its id and versions first (a small json_transform), and only the
    # newest version of each record is typed in full (one json_transform into every typed
    # column, source_collections.py) on its way into the table: the typed structs (an
    # audit's events) are never held for lines that lose. Only a line with no id is parsed
    # again, to say why; the new-field note reads the newest lines' keys.
    con.execute(
        f"""
        create or replace temp table _parsed as
        with transformed as (
            select line_number, line, try(json_transform(line, {sql_string(collection.key_schema())})) as document
            from _lines
            where trim(coalesce(line, '')) <> ''
        ),
        keyed as (
            select line_number, line, document."{id_key}" as record_id,
                {_version_sql(collection, 'document')} as record_version
            from transformed
        ),
        checked as (
            select
                line_number,
                line,
                case when record_id is null then
                    case
                        when not json_valid(line) then 'malformed JSON'
                        when json_type(line) <> 'OBJECT' then 'not a JSON object'
                        else 'missing required key: {id_key}'
                    end
                end as reason,
                record_id,
                record_version
            from keyed
        )
        select
            line_number, line, reason, record_id, record_version,
            -- within one file, the newest version wins; on a tie the later line wins (a line
            -- with a reason has no record id, so it never shares a partition with a record)
            reason is null and row_number() over (
                partition by record_id order by record_version desc nulls last, line_number desc
            ) = 1 as is_newest
        from checked
        union all
        select line_number, raw_line, coalesce({reader_reason_sql()}, 'unreadable line: ' || error_type), null, null, false
        from _unreadable
        """
    )
    next_line = scalar(con, "select coalesce(max(line_number), 0) + 1 from (select line_number from _lines union all select line_number from _unreadable)")
    if truncated_tail is not None:
        con.execute("insert into _parsed values (?, ?, ?, null, null, false)",
                    [next_line, truncated_tail[:2000].decode("utf-8", "replace"), TRUNCATED_GZIP])
    elif next_line == 1:
        con.execute("insert into _parsed values (0, null, ?, null, null, false)", [EMPTY_FILE])
    con.execute(
        f"""
        insert into raw._quarantine
        select '{collection.table}', {file_sql}, line_number, reason, line, now()::timestamp
        from _parsed where reason is not null
        """
    )
    con.execute(
        f"""
        create or replace temp view _batch as
        select record_id, record_version, {typed_columns_sql(collection, 'document')},
            {kept_text_sql(collection, 'line', 'document')} as record, line_number
        from (
            select *, json_transform(line, {sql_string(collection.transform_schema())}) as document
            from _parsed where is_newest
        )
        """
    )
    result.new_fields = _note_new_fields(con, collection, file_sql)
    typed = [f'"{name}"' for name in collection.columns]
    insert_columns = ", ".join(["record_id", "record_version", *typed, "record", "_source_file", "_source_line", "_loaded_at"])
    if not scalar(con, f"select count(*) from (select 1 from raw.{collection.table} limit 1)"):
        # the collection's first file: nothing to merge with (the batch holds one row per id),
        # and a plain insert skips the merge's join (a quarter of the audits' first load)
        result.records_upserted = scalar(
            con,
            f"""
            insert into raw.{collection.table} ({insert_columns})
            select record_id, record_version, {", ".join(typed)}, record, {file_sql}, line_number, now()::timestamp
            from _batch
            """,
        )
    else:
        result.records_upserted = _merge_batch(con, collection, file_sql, typed, insert_columns)
    lines, quarantined, records = con.execute(
        "select count(*) filter (where line_number > 0), count(*) filter (where reason is not null),"
        " count(*) filter (where reason is null) from _parsed"
    ).fetchall()[0]
    result.lines_read, result.lines_quarantined = lines, quarantined
    result.lines_unchanged = records - result.records_upserted
    result.quarantine_reasons = dict(con.execute("select reason, count(*) from _parsed where reason is not null group by 1").fetchall())


def _merge_batch(con, collection: SourceCollection, file_sql: str, typed: list[str], insert_columns: str) -> int:
    """Merge `_batch` into a collection that holds records; return the rows written."""
    set_columns = ", ".join(f"{name} = incoming.{name}" for name in typed)
    incoming_columns = ", ".join(f"incoming.{name}" for name in typed)
    current_columns = ", ".join(f"current.{name}" for name in typed)
    return scalar(
        con,
        f"""
        merge into raw.{collection.table} as current
        using _batch as incoming
        on current.record_id = incoming.record_id
        when matched and (
            incoming.record_version > current.record_version
            or (current.record_version is null and incoming.record_version is not null)
            or (incoming.record_version is not distinct from current.record_version
                and row(incoming.record, {incoming_columns}) is distinct from row(current.record, {current_columns}))
        ) then update set
            record_version = incoming.record_version,
            {set_columns},
            record = incoming.record,
            _source_file = {file_sql},
            _source_line = incoming.line_number,
            _loaded_at = now()::timestamp
        when not matched then insert ({insert_columns}) values (
            incoming.record_id, incoming.record_version, {incoming_columns}, incoming.record, {file_sql},
            incoming.line_number, now()::timestamp
        )
        """,
    )


def _note_new_fields(con, collection: SourceCollection, file_sql: str) -> dict[str, int]:
    """Top-level fields this collection has not had before: noted once (returned), the records load as they are."""
    known = ", ".join(f"'{name}'" for name in collection.fields)
    con.execute(
        f"""
        insert into raw._new_fields
        select '{collection.table}', field_name, {file_sql}, min(line_number), count(*), now()::timestamp
        from (select line_number, unnest(json_keys(line)) as field_name from _parsed where is_newest)
        where field_name not in ({known})
          and field_name not in (select field_name from raw._new_fields where collection = '{collection.table}')
        group by field_name
        returning field_name, records
        """
    )
    return dict(con.fetchall())


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
        loaded = load_file(con, collection, path)
        result.files_loaded.append(str(path))
        result.lines_read += loaded.lines_read
        result.records_upserted += loaded.records_upserted
        result.lines_quarantined += loaded.lines_quarantined
        result.lines_unchanged += loaded.lines_unchanged
        for reason, count in loaded.quarantine_reasons.items():
            result.quarantine_reasons[reason] = result.quarantine_reasons.get(reason, 0) + count
        result.new_fields.update(loaded.new_fields)
    result.total_records = scalar(con, f"select count(*) from raw.{collection.table}")
    return result
