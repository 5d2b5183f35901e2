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

Where the two cannot be made to agree (none of it in the sample company or the bad-input
catalogue): a number inside an object or list that a TEXT column keeps as JSON text is left
as Jackson writes it (`{"a":1.0E-7}`, DuckDB `{"a":1e-7}`); with a key twice in one object
DuckDB keeps the first value and `from_json` the last; a string value that looks exactly like
Java's notation (`"2.5E7"`) is rewritten as if it were a number.
"""

from __future__ import annotations

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


# The expressions below are built as SQL text and handed to Spark once per column: built
# with the Column API, each node is a call into the JVM, and the typed columns have thousands.
_lambda_depth = 0


def duckdb_number_text(text: str) -> str:
    """SQL: a scalar's text with a number in Java's scientific notation rewritten as DuckDB
    writes it (Python's repr: plain from 1e-4 to below 1e16, `1e+16` outside).

    (A JSON string that happens to look exactly like `2.5E7` is rewritten too: no vendor sends one.)
    The rewrite binds the text to a lambda's variable: it refers to it a dozen times."""
    t = "t"
    sign, lead, frac = (f"regexp_extract({t}, '{_JAVA_SCIENTIFIC}', {i})" for i in (1, 2, 3))
    exp = f"cast(regexp_extract({t}, '{_JAVA_SCIENTIFIC}', 4) as int)"
    digits = f"(case when {frac} = '0' then {lead} else {lead} || {frac} end)"
    plain_big = (f"(case when length({digits}) <= {exp} + 1 then {sign} || rpad({digits}, {exp} + 1, '0') || '.0' "
                 f"else {sign} || substring({digits}, 1, {exp} + 1) || '.' || substring({digits}, {exp} + 2) end)")
    plain_small = f"({sign} || '0.' || repeat('0', -{exp} - 1) || {digits})"
    mantissa = f"(case when {frac} = '0' then {lead} else {lead} || '.' || {frac} end)"
    scientific = (f"({sign} || {mantissa} || 'e' || (case when {exp} < 0 then '-' else '+' end) "
                  f"|| lpad(cast(abs({exp}) as string), 2, '0'))")
    rewrite = (f"case when {exp} >= 16 then {scientific} when {exp} >= 0 then {plain_big} "
               f"when {exp} >= -4 then {plain_small} else {scientific} end")
    return f"(case when {text} rlike '{_JAVA_SCIENTIFIC}' then transform(array({text}), t -> {rewrite})[0] else {text} end)"


def _null(shape) -> str:
    return f"cast(null as {spark_type(shape).simpleString()})"


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _lambda(body_of) -> str:
    """`e<n> -> body_of('e<n>')`, its variable named apart from every enclosing lambda's."""
    global _lambda_depth
    _lambda_depth += 1
    element = f"e{_lambda_depth}"
    try:
        return f"{element} -> {body_of(element)}"
    finally:
        _lambda_depth -= 1


def parsed_value(value: str, shape) -> str:
    """SQL, the fast path: a field of `from_json(line, parse_schema(...))` as the DuckDB column."""
    if shape == JSON:
        return f"(case when {value} is null or is_variant_null({value}) then cast(null as string) else {duckdb_number_text(f'to_json({value})')} end)"
    if isinstance(shape, list):
        return f"transform({value}, {_lambda(lambda element: parsed_value(element, shape[0]))})"
    if isinstance(shape, dict):
        # struct() of a null struct's fields would be a struct of nulls, not null
        members = ", ".join(f"{parsed_value(f'{value}.{_quote(name)}', member)} as {_quote(name)}"
                            for name, member in shape.items())
        return f"(case when {value} is null then {_null(shape)} else struct({members}) end)"
    return duckdb_number_text(value)


def tolerant_value(root: str, path: str, shape) -> str:
    """SQL, the slow path: the value at `path` of a VARIANT (a record `from_json` rejected, or
    an array element) typed by DuckDB's json_transform rules (module docstring), a value of
    another shape included. Each value is read from the root by its whole path, so the
    expression grows with the schema, not with the schema's depth times its width."""
    at = _sql_string(path)
    variant = f"try_variant_get({root}, {at}, 'variant')"
    missing = f"({variant} is null or is_variant_null({variant}))"
    if shape == JSON:
        return f"(case when {missing} then cast(null as string) else {duckdb_number_text(f'to_json({variant})')} end)"
    if isinstance(shape, list):
        return (f"transform(try_variant_get({root}, {at}, 'array<variant>'), "
                f"{_lambda(lambda element: tolerant_value(element, '$', shape[0]))})")
    if isinstance(shape, dict):
        is_object = f"try_variant_get({root}, {at}, 'map<string,variant>') is not null"
        members = ", ".join(f"{tolerant_value(root, path + member_path(name).removeprefix('$'), member)} as {_quote(name)}"
                            for name, member in shape.items())
        nulls = ", ".join(f"{_null(member)} as {_quote(name)}" for name, member in shape.items())
        return (f"(case when {missing} then {_null(shape)} when {is_object} then struct({members}) "
                f"else struct({nulls}) end)")
    # a VARIANT keeps a decimal's every digit; DuckDB (and the fast path) read it as a double
    text = duckdb_number_text(
        f"(case when schema_of_variant({variant}) like 'DECIMAL(%' and schema_of_variant({variant}) not like '%,0)' "
        f"then cast(cast({variant} as double) as string) else try_variant_get({root}, {at}, 'string') end)")
    return f"(case when {missing} then cast(null as string) else {text} end)"


def _sql_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def member_path(name: str) -> str:
    return f"$[{_sql_string(name)}]"
