"""Each line of a batch as the DuckDB loader sees it (loading/loader.py): a quarantine reason,
or a record with its id, its version and its typed columns.

A line is parsed once, by `from_json` with the collection's explicit schema (json_shapes.py);
only a line that parse rejects (malformed, not an object, or a value of another shape than its
column's) is parsed again as a VARIANT, to say why or to type it field by field.
"""

from __future__ import annotations

import json

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from ..loading.source_collections import SourceCollection
from .json_shapes import CORRUPT, FROM_JSON_OPTIONS, member_path, parse_schema, parsed_value, tolerant_value

MALFORMED_JSON = "malformed JSON"
NOT_AN_OBJECT = "not a JSON object"

# the whole line is one JSON object: `from_json` reads the first value and ignores what follows
# (a line that is an object followed by text ending in `}` still passes: DuckDB calls it malformed)
_ONE_OBJECT = r"^[ \t\n\r]*\{.*\}[ \t\n\r]*$"
# a version that is a number is epoch seconds (the DuckDB loader's _version_sql)
_NUMBER = r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"


def missing_key_reason(collection: SourceCollection) -> str:
    return f"missing required key: {collection.id_path.removeprefix('$.')}"


def classify(lines: DataFrame, collection: SourceCollection) -> DataFrame:
    """file_path, file_order, line_number, line, reader_reason, reason, record_id, record_version, doc (the
    typed columns as one struct, null for a quarantined line); blank lines left out."""
    shape = _transform_shape(collection)
    readable = lines.where(F.col("reader_reason").isNotNull() | (F.trim(F.coalesce("line", F.lit(""))) != ""))
    parsed = readable.withColumn(
        "_parsed", F.when(F.col("reader_reason").isNull(), F.from_json("line", parse_schema(shape), FROM_JSON_OPTIONS)))
    fast = (F.col("_parsed").isNotNull() & F.col(f"_parsed.{CORRUPT}").isNull() & F.col("line").rlike(_ONE_OBJECT))
    parsed = parsed.withColumn("_fast", F.coalesce(fast, F.lit(False)))
    # Parsed inside an object, so that text after the value makes it invalid (as to DuckDB):
    # the VARIANT parser, like from_json, stops after the first value.
    wrapped = F.try_parse_json(F.concat(F.lit('{"v":'), F.col("line"), F.lit("}")))
    parsed = parsed.withColumn(
        "_variant", F.when(~F.col("_fast") & F.col("reader_reason").isNull(), F.try_variant_get(wrapped, "$.v", "variant")))
    is_object = F.col("_fast") | F.try_variant_get("_variant", "$", "map<string,variant>").isNotNull()
    doc = F.when(F.col("_fast"), _document("_parsed", shape, _parsed_member)).when(
        is_object, _document("_variant", shape, _variant_member))
    parsed = parsed.withColumn("_doc", doc)
    record_id = F.col("_doc").getField(collection.id_path.removeprefix("$."))
    reason = (F.when(F.col("reader_reason").isNotNull(), F.col("reader_reason"))
              .when(record_id.isNotNull(), F.lit(None).cast("string"))
              .when(F.col("_variant").isNull() & ~F.col("_fast"), F.lit(MALFORMED_JSON))
              .when(~is_object, F.lit(NOT_AN_OBJECT))
              .otherwise(F.lit(missing_key_reason(collection))))
    return parsed.select(
        "file_path", "file_order", "line_number", "line", "reader_reason", reason.alias("reason"),
        F.when(reason.isNull(), record_id).alias("record_id"),
        F.when(reason.isNull(), _version(F.col("_doc"), collection)).alias("record_version"),
        F.when(reason.isNull(), F.col("_doc")).alias("doc"),
    )


def _transform_shape(collection: SourceCollection) -> dict:
    return json.loads(collection.transform_schema())


def _document(source: str, shape: dict, member) -> Column:
    """The id, versions and typed columns as one struct, by `member` (the fast or the slow path)."""
    return F.expr("struct(" + ", ".join(f"{member(source, name, value)} as `{name}`" for name, value in shape.items()) + ")")


def _variant_member(variant: str, name: str, shape) -> str:
    return tolerant_value(variant, member_path(name), shape)


def _parsed_member(parsed: str, name: str, shape) -> str:
    return parsed_value(f"{parsed}.`{name}`", shape)


def _version(doc: Column, collection: SourceCollection) -> Column:
    """A UTC timestamp from the first version path present: epoch seconds or a timestamp text."""
    parts = []
    for path in collection.version_paths:
        value = doc
        for key in path.removeprefix("$.").split("."):
            value = value.getField(key)
        # DuckDB's to_timestamp(double) rounds to the microsecond
        epoch = F.timestamp_micros(F.round(value.try_cast("double") * 1_000_000).try_cast("bigint"))
        parts.append(F.when(value.rlike(_NUMBER), epoch).otherwise(value.try_cast("timestamp")))
    return F.coalesce(*parts)
