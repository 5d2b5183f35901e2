"""Reading one file of the drop as lines, with DuckDB's CSV reader (one VARCHAR column, no
delimiter or quoting), so that no Python loops over rows: the lines it could decode, the ones
it could not with DuckDB's reason, and what a truncated gzip file still holds."""

from __future__ import annotations

import zlib
from pathlib import Path

import duckdb

from ..warehouse import scalar

# Longer lines are quarantined rather than loaded: no API record is this big, and
# one such line would otherwise dominate the memory of the load.
MAX_LINE_BYTES = 8 * 1024 * 1024

# DuckDB's reader errors (reject_errors.error_type) as quarantine reasons.
READER_REASONS = {
    "INVALID ENCODING": "invalid UTF-8",
    "LINE SIZE OVER MAXIMUM": f"line too long (over {MAX_LINE_BYTES // (1024 * 1024)} MB)",
}


def sql_string(value: str) -> str:
    """``value`` as a SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def read_lines(con: duckdb.DuckDBPyConnection, readable: Path) -> None:
    """`_lines(line_number, line)`: every line the reader could decode; `_unreadable` the rest, with reasons."""
    con.execute("drop table if exists _reader_rejects; drop table if exists _reader_scans")
    con.execute(
        f"""
        create or replace temp table _scan as
        select row_number() over () as k, line
        from read_csv({sql_string(str(readable))}, columns = {{'line': 'VARCHAR'}}, header = false, delim = '\x1e',
                      quote = '', escape = '', auto_detect = false, strict_mode = false,
                      max_line_size = {MAX_LINE_BYTES}, store_rejects = true,
                      rejects_table = '_reader_rejects', rejects_scan = '_reader_scans')
        """
    )
    con.execute(
        """
        create or replace temp table _unreadable as
        select line as line_number, any_value(error_type) as error_type, any_value(left(csv_line, 2000)) as raw_line
        from _reader_rejects group by line
        """
    )
    if not scalar(con, "select count(*) from _unreadable"):
        # a view, not a copy: the lines are numbered already
        con.execute("create or replace temp view _lines as select k as line_number, line from _scan")
        return
    # The reader skips the lines it rejects: give the others back their line numbers.
    con.execute(
        """
        create or replace temp table _renumbered as
        with numbers as (
            select range + 1 as line_number
            from range((select count(*) from _scan) + (select count(*) from _unreadable))
        ),
        readable as (
            select line_number, row_number() over (order by line_number) as k
            from numbers anti join _unreadable using (line_number)
        )
        select readable.line_number, _scan.line from _scan join readable using (k)
        """
    )
    con.execute("create or replace temp view _lines as select * from _renumbered")


def recover_truncated_gzip(path: Path, scratch: Path) -> tuple[Path, bytes | None]:
    """Decompress what a gzip file still holds into `scratch`, up to its last complete line.

    Returns the plain file and the partial line the stream broke off in (None if
    the file is whole). Streams in 1 MB blocks, so memory stays flat.
    """
    decompressor = zlib.decompressobj(wbits=31)
    tail = b""
    with open(path, "rb") as raw, open(scratch, "wb") as out:
        while block := raw.read(1 << 20):
            data = tail + decompressor.decompress(block)
            cut = data.rfind(b"\n") + 1
            out.write(data[:cut])
            tail = data[cut:]
        if decompressor.eof:
            out.write(tail)
            return scratch, None
    return scratch, tail


def reader_reason_sql() -> str:
    whens = " ".join(f"when '{kind}' then '{reason}'" for kind, reason in READER_REASONS.items())
    return f"case error_type {whens} end"
