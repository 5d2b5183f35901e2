"""source_collections.SCHEMAS as Spark types, and the typed columns read from a record's JSON
text exactly as DuckDB's `json_transform` gives them (loading/source_collections.py).

DuckDB's rules, which Spark's `from_json` follows only for a value of the declared shape:
- a scalar (TEXT) is a string: a JSON string unquoted, anything else as its JSON text, a
  number formatted as Python's `repr` of the double would (plain from 1e-4 to below 1e16,
  `1e+16` outside), JSON null as null;
- a JSON-kept value (JSON) is its JSON text, a string quoted;
- an object shape given an object is a struct of its fields; given any other non-null value
  (a string, a number, a list) a struct whose every field is null;
- a list shape given a list is a list of its elements' shape; given anything else null.

`from_json` cannot give the object-shape and list-shape answers: one value of another shape
makes it drop the whole record (its corrupt-record column). So a record is parsed once by
`from_json` with the collection's explicit schema (the fast path: every record of the right
shape) and only a record that path rejects is parsed again, as a VARIANT, and typed field by
field by `tolerant_value` (records of a wrong shape, malformed lines: a few in a drop).

Spark writes a JSON number as Java's `Double.toString` (`2.5E7`), DuckDB as Python's repr
(`25000000.0`): `duckdb_number_text` rewrites the one into the other on every TEXT leaf.
"""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F
from pyspark.sql import types as T

from ..loading.source_collections import JSON

# Java's scientific notation for a double: one digit, a fraction, an exponent.
_JAVA_SCIENTIFIC = r"^(-?)([0-9])\.([0-9]+)E(-?[0-9]+)$"


def spark_type(shape) -> T.DataType:
    """A schema shape as a Spark type: string, struct of its fields, or array of its element."""
    if isinstance(shape, list):
        return T.ArrayType(spark_type(shape[0]))
    if isinstance(shape, dict):
        return T.StructType([T.StructField(name, spark_type(member)) for name, member in shape.items()])
    return T.StringType()


def parse_schema(shape: dict) -> T.StructType:
    """The from_json schema of a collection's transform shape: JSON-kept fields as VARIANT (so
    their JSON text can be written back, strings quoted) and a corrupt-record column last."""
    def member(value):
        if value == JSON:
            return T.VariantType()
        if isinstance(value, list):
            return T.ArrayType(member(value[0]))
        if isinstance(value, dict):
            return T.StructType([T.StructField(n, member(v)) for n, v in value.items()])
        return T.StringType()
    fields = [T.StructField(name, member(value)) for name, value in shape.items()]
    return T.StructType([*fields, T.StructField(CORRUPT, T.StringType())])


CORRUPT = "_corrupt_record"
FROM_JSON_OPTIONS = {"columnNameOfCorruptRecord": CORRUPT, "mode": "PERMISSIVE"}


def duckdb_number_text(text: Column) -> Column:
    """A scalar's text with a number in Java's scientific notation rewritten as DuckDB writes it.

    (A JSON string that happens to look exactly like `2.5E7` is rewritten too: no vendor sends one.)
    The rewrite binds the text to a lambda's variable: it refers to it a dozen times, and
    repeating the expression that many times per field outgrew Java's 64 KB method limit."""
    return F.when(text.rlike(_JAVA_SCIENTIFIC), F.transform(F.array(text), _python_repr)[0]).otherwise(text)


def _python_repr(text: Column) -> Column:
    """`2.5E7` -> `25000000.0`, `1.0E-5` -> `1e-05`: plain from 1e-4 to below 1e16, as Python's repr."""
    sign = F.regexp_extract(text, _JAVA_SCIENTIFIC, 1)
    lead = F.regexp_extract(text, _JAVA_SCIENTIFIC, 2)
    frac = F.regexp_extract(text, _JAVA_SCIENTIFIC, 3)
    exp = F.regexp_extract(text, _JAVA_SCIENTIFIC, 4).cast("int")
    digits = F.when(frac == "0", lead).otherwise(F.concat(lead, frac))  # significant digits
    ndig = F.length(digits)
    # plain notation: the point goes after exp + 1 digits (exp >= 0), or after leading zeros (exp < 0)
    plain_big = F.when(
        ndig <= exp + 1,
        F.concat(sign, F.rpad(digits, exp + 1, "0"), F.lit(".0")),
    ).otherwise(F.concat(sign, F.substring(digits, F.lit(1), exp + 1), F.lit("."),
                         F.substring(digits, exp + 2, ndig)))
    plain_small = F.concat(sign, F.lit("0."), F.repeat(F.lit("0"), -exp - 1), digits)
    mantissa = F.when(frac == "0", lead).otherwise(F.concat(lead, F.lit("."), frac))
    scientific = F.concat(sign, mantissa, F.lit("e"), F.when(exp < 0, "-").otherwise("+"),
                          F.lpad(F.abs(exp).cast("string"), 2, "0"))
    return (F.when(exp >= 16, scientific).when(exp >= 0, plain_big).when(exp >= -4, plain_small)
            .otherwise(scientific))


def parsed_value(value: Column, shape) -> Column:
    """The fast path: a field of `from_json(line, parse_schema(...))` as the DuckDB column."""
    if shape == JSON:
        return F.when(value.isNull() | F.is_variant_null(value), F.lit(None).cast("string")).otherwise(
            duckdb_number_text(F.to_json(value)))
    if isinstance(shape, list):
        return F.transform(value, lambda element: parsed_value(element, shape[0]))
    if isinstance(shape, dict):
        # F.struct of a null struct's fields would be a struct of nulls, not null
        members = [parsed_value(value.getField(name), member).alias(name) for name, member in shape.items()]
        return F.when(value.isNull(), F.lit(None).cast(spark_type(shape))).otherwise(F.struct(*members))
    return duckdb_number_text(value)


def tolerant_value(root: Column, path: str, shape) -> Column:
    """The slow path: the value at `path` of a VARIANT (a record `from_json` rejected, or an
    array element) typed by DuckDB's json_transform rules (module docstring), a value of
    another shape included. Each value is read from the root by its whole path, so the
    expression grows with the schema, not with the schema's depth times its width."""
    variant = F.try_variant_get(root, path, "variant")
    missing = variant.isNull() | F.is_variant_null(variant)
    if shape == JSON:
        return F.when(missing, F.lit(None).cast("string")).otherwise(duckdb_number_text(F.to_json(variant)))
    if isinstance(shape, list):
        elements = F.try_variant_get(root, path, "array<variant>")
        return F.transform(elements, lambda element: tolerant_value(element, "$", shape[0]))
    if isinstance(shape, dict):
        is_object = F.try_variant_get(root, path, "map<string,variant>").isNotNull()
        members = [tolerant_value(root, path + member_path(name).removeprefix("$"), member).alias(name)
                   for name, member in shape.items()]
        nulls = [F.lit(None).cast(spark_type(member)).alias(name) for name, member in shape.items()]
        return (F.when(missing, F.lit(None).cast(spark_type(shape)))
                .when(is_object, F.struct(*members))
                .otherwise(F.struct(*nulls)))
    return F.when(missing, F.lit(None).cast("string")).otherwise(
        duckdb_number_text(F.try_variant_get(root, path, "string")))


def member_path(name: str) -> str:
    return "$['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']"
