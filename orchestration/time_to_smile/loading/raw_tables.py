"""The loader's own tables in `raw`: each collection's records, and the bookkeeping every load
writes (which files loaded, what was quarantined and why, which new fields were seen)."""

from __future__ import annotations

import duckdb

from .line_reader import sql_string
from .source_collections import SourceCollection

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
alter table raw._loaded_files add column if not exists lines_unchanged bigint default 0;
create table if not exists raw._new_fields (
    collection varchar not null,
    field_name varchar not null,
    first_file_path varchar not null,
    first_line_number bigint not null,
    records bigint not null,
    noted_at timestamp not null
);
"""



def _column_list(collection: SourceCollection) -> str:
    return ", ".join(f'"{name}" {kind}' for name, kind in collection.columns.items())


def typed_columns_sql(collection: SourceCollection, document: str) -> str:
    """The select-list entries of the typed columns, from `document` (a json_transform of the record)."""
    return ", ".join(f'{document}."{name}" as "{name}"' for name in collection.columns)


def kept_text_sql(collection: SourceCollection, text: str, document: str) -> str:
    """The `record` column's value: the JSON `text` itself, or, for a collection that keeps no
    text (source_collections.TYPED_ONLY), the text only of a record its typed columns cannot
    hold (null otherwise): one with a top-level key they do not have, or whose object or list
    field has another shape (its column is null though the JSON has a value there)."""
    if collection.keeps_text:
        return text
    keys = ", ".join(sql_string(key) for key in collection.top_level_keys)
    whens = [f"when len(list_filter(json_keys({text}), lambda k: not list_contains([{keys}], k))) > 0 then {text}"]
    for name, shape in collection.schema.items():
        if isinstance(shape, (dict, list)):
            whens.append(
                f"""when (case when {document}."{name}" is null
                         then coalesce(json_type({text}, {sql_string('$.' + name)}), 'NULL') <> 'NULL' else false end)
                    then {text}""")
    return f"case {' '.join(whens)} end"


def ensure_tables(con: duckdb.DuckDBPyConnection, collection: SourceCollection) -> None:
    con.execute(MANIFEST_DDL)
    # No primary key: the loader merges on record_id, which keeps it unique, and building
    # the key's index was an eighth of a million-ticket first load (9 s of the audits' 75 s).
    # `record` is the line's text as it arrived (VARCHAR: storing it as JSON would parse it
    # once more to validate it), null where a TYPED_ONLY collection does not need it; the
    # typed columns are parsed from it once, by the load.
    con.execute(
        f"""
        create table if not exists raw.{collection.table} (
            record_id varchar not null,
            record_version timestamp,
            {_column_list(collection)},
            record varchar{" not null" if collection.keeps_text else ""},
            _source_file varchar not null,
            _source_line bigint not null,
            _loaded_at timestamp not null
        )
        """
    )
    migrate_to_typed_columns(con, collection)


BOOKKEEPING = ("record_id", "record_version", "record", "_source_file", "_source_line", "_loaded_at")


def migrate_to_typed_columns(con: duckdb.DuckDBPyConnection, collection: SourceCollection) -> bool:
    """Give a raw table of an older shape (the record as JSON only, or other typed columns) the
    collection's typed columns, parsed from the records it holds: in place, in one transaction,
    every row and its bookkeeping (_loaded_at, source file and line) kept; a TYPED_ONLY
    collection keeps the text of the records its columns cannot hold. Returns whether it did.

    A column the table already has, of the same type, is kept as it is; the others are parsed
    from `record`. So a field added to a TYPED_ONLY collection's schema later is filled only
    for the records that kept their text: the others have not kept it (reload their files
    from the drop to fill it, docs/architecture.md)."""
    have = dict(con.execute(
        "select column_name, data_type from duckdb_columns() where schema_name = 'raw' and table_name = ?"
        " order by column_index", [collection.table]).fetchall())
    typed = {name: kind for name, kind in have.items() if name not in BOOKKEEPING}
    want = collection.columns
    if list(typed) == list(want) and all(_same_type(typed[c], want[c]) for c in want) and have.get("record") == "VARCHAR":
        return False
    if any(column not in have for column in BOOKKEEPING):
        # not an older shape of this table but a damaged one: left as it is, for dbt's
        # build to fail on it with the missing column's name
        return False
    table = f"raw.{collection.table}"
    kept = {name for name in want if name in typed and _same_type(typed[name], want[name])}
    columns = ", ".join(f'"{name}"' if name in kept else f'document."{name}" as "{name}"' for name in want)
    con.execute("begin transaction")
    try:
        con.execute(f"alter table {table} rename to {collection.table}__old")
        con.execute(
            f"""
            create table {table} as
            select record_id, record_version, {columns},
                {kept_text_sql(collection, 'record', 'document')} as record, _source_file, _source_line, _loaded_at
            from (
                select * replace (cast(record as varchar) as record),
                    json_transform(record, {sql_string(collection.transform_schema())}) as document
                from {table}__old
            )
            """
        )
        for column in ("record_id", *(["record"] if collection.keeps_text else []), "_source_file", "_source_line", "_loaded_at"):
            con.execute(f"alter table {table} alter column {column} set not null")
        con.execute(f"drop table {table}__old")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return True


def _same_type(have: str, want: str) -> bool:
    return have.replace('"', "").replace(" ", "").upper() == want.replace('"', "").replace(" ", "").upper()
