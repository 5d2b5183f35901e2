"""An invalid UTF-8 line's text as DuckDB's CSV reader stores it in the quarantine: each byte of
a broken sequence (up to and including the byte that breaks it) becomes '?'. Applied by a
Python UDF to the quarantined lines only (a handful), never to the drop's lines."""

from __future__ import annotations


def duckdb_replaced(data: bytes | None) -> str | None:
    if data is None:
        return None
    out: list[str] = []
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        length = 1 if byte < 0x80 else 2 if 0xC2 <= byte <= 0xDF else 3 if 0xE0 <= byte <= 0xEF else 4 if 0xF0 <= byte <= 0xF4 else 0
        if length == 0:  # a stray continuation byte or a byte no sequence starts with
            out.append("?")
            i += 1
            continue
        end = i + 1
        while end < i + length and end < n and 0x80 <= data[end] <= 0xBF:
            end += 1
        if end == i + length:
            try:
                out.append(data[i:end].decode("utf-8"))
            except UnicodeDecodeError:  # an overlong form or a surrogate
                out.append("?" * length)
            i = end
        else:
            broken = min(end + 1, n)  # the offending byte goes too
            out.append("?" * (broken - i))
            i = broken
    return "".join(out)
