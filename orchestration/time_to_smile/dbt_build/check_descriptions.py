"""A human description for each dbt data test that Dagster shows as an asset check.

Why: dagster-dbt describes the check it makes of a dbt test only by the test's
`meta.description`, which nobody writes, so in the Dagster UI nearly every dbt check
had a name (`not_null_stg_zendesk__tickets_case_id`) and no description. dbt (1.9+)
keeps a test's own YAML `description:` on the test node, and a generic test's name,
column and arguments say what it asserts, so each check gets, in this order:

1. the test's YAML `description:` (or `meta.description`), word for word;
2. for a singular test (a SQL file in dbt_project/tests), the comment that opens it;
3. otherwise a sentence made from the test's metadata: "`case_id` is never null",
   "`smile_status` is one of open, frowning, smiling",
   "every `case_id` exists in fct_case_journey.case_id".

`LayeredTranslator.get_asset_check_spec` (defs/dbt/assets.py) applies it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

#: A dbt relation as a test argument: `ref('model')`, `ref('package', 'model')`,
#: `source('source', 'table')`, with or without the surrounding `{{ }}`.
_RELATION = re.compile(r"""(ref|source)\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?""")
#: The `{{ config(...) }}` call and Jinja comments a singular test may start with.
_SQL_PREAMBLE = re.compile(r"\{\{-?\s*config\(.*?\)\s*-?\}\}|\{#.*?#\}", re.DOTALL)


def check_description(test: Mapping[str, Any]) -> str:
    """The description for the asset check made of the dbt test node `test` (a manifest node)."""
    written = (test.get("description") or "").strip() or _meta_description(test)
    if written:
        return written
    if not test.get("test_metadata"):
        return _singular_description(test)
    sentence = _generic_sentence(test)
    where = (test.get("config") or {}).get("where")
    return f"{sentence} (rows where {where})" if where else sentence


def _meta_description(test: Mapping[str, Any]) -> str:
    for meta in (test.get("meta"), (test.get("config") or {}).get("meta")):
        if isinstance(meta, Mapping) and isinstance(meta.get("description"), str) and meta["description"].strip():
            return meta["description"].strip()
    return ""


def _singular_description(test: Mapping[str, Any]) -> str:
    """The `--` comment lines a singular test's SQL opens with, or a plain sentence."""
    code = _SQL_PREAMBLE.sub("", test.get("raw_code") or test.get("raw_sql") or "")
    comment: list[str] = []
    for line in code.strip().splitlines():
        if not line.strip().startswith("--"):
            break
        comment.append(line.strip().removeprefix("--").strip())
    if text := " ".join(filter(None, comment)):
        return text
    path = test.get("original_file_path") or "dbt_project/tests"
    return f"No row fails the query in {path} (`{test['name']}`)"


def _relation(text: Any) -> str:
    """`ref('fct_case_journey')` -> fct_case_journey; `source('zendesk', 'tickets')` -> zendesk.tickets."""
    match = _RELATION.search(str(text))
    if not match:
        return str(text)
    kind, first, second = match.groups()
    if kind == "source":
        return f"{first}.{second}" if second else first
    return second or first  # ref('package', 'model') names the model second


def _listed(values: Any) -> str:
    return ", ".join(str(v) for v in values) if isinstance(values, (list, tuple)) else str(values)


def _columns(values: Any) -> str:
    return ", ".join(f"`{v}`" for v in values) if isinstance(values, (list, tuple)) else f"`{values}`"


def _range(col: str, kw: Mapping[str, Any]) -> str:
    inclusive = kw.get("inclusive", True) in (True, "true", "True")
    low, high = kw.get("min_value"), kw.get("max_value")
    ge, le = (">=", "<=") if inclusive else (">", "<")
    if low is not None and high is not None:
        return f"{col} is between {low} and {high}" + ("" if inclusive else " (exclusive)")
    if low is not None:
        return f"{col} is {ge} {low}"
    return f"{col} is {le} {high}"


#: Test name (without its package) -> sentence, from the column (`col`, backquoted, or
#: "every row" for a model-level test) and the test's arguments.
_SENTENCES: dict[str, Callable[[str, Mapping[str, Any]], str]] = {
    "not_null": lambda col, kw: f"{col} is never null",
    "unique": lambda col, kw: f"{col} is unique",
    "accepted_values": lambda col, kw: f"{col} is one of {_listed(kw.get('values', []))}",
    "not_accepted_values": lambda col, kw: f"{col} is never one of {_listed(kw.get('values', []))}",
    "relationships": lambda col, kw: f"every {col} exists in {_relation(kw.get('to'))}.{kw.get('field')}",
    "relationships_where": lambda col, kw: f"every {col} exists in {_relation(kw.get('to'))}.{kw.get('field')}",
    "expression_is_true": lambda col, kw: (
        f"{col} satisfies `{kw.get('expression')}`" if col != "every row"
        else f"every row satisfies `{kw.get('expression')}`"),
    "unique_combination_of_columns": lambda col, kw: (
        f"each combination of {_columns(kw.get('combination_of_columns', []))} is unique"),
    "accepted_range": _range,
    "not_null_proportion": lambda col, kw: f"at least {kw.get('at_least')} of {col} is not null",
    "at_least_one": lambda col, kw: f"{col} has at least one non-null value",
    "not_constant": lambda col, kw: f"{col} has more than one distinct value",
    "not_empty_string": lambda col, kw: f"{col} is never an empty string",
    "equal_rowcount": lambda col, kw: f"as many rows as {_relation(kw.get('compare_model'))}",
    "fewer_rows_than": lambda col, kw: f"fewer rows than {_relation(kw.get('compare_model'))}",
    "recency": lambda col, kw: (
        f"the newest `{kw.get('field')}` is within {kw.get('interval')} {kw.get('datepart')}(s) of now"),
    "sequential_values": lambda col, kw: f"{col} goes up in steps of {kw.get('interval', 1)}",
}

#: Arguments every generic test has, or that the sentence already names: not repeated.
_PLAIN_ARGUMENTS = {"model", "column_name"}


def _generic_sentence(test: Mapping[str, Any]) -> str:
    metadata = test["test_metadata"]
    name, namespace = metadata.get("name") or test["name"], metadata.get("namespace")
    kwargs = metadata.get("kwargs") or {}
    column = test.get("column_name") or kwargs.get("column_name")
    col = f"`{column}`" if column else "every row"
    make = _SENTENCES.get(name)
    if make is not None:
        sentence = make(col, kwargs)
    else:  # a custom generic test: its name, column and arguments
        qualified = f"{namespace}.{name}" if namespace else name
        arguments = ", ".join(f"{k}={v}" for k, v in kwargs.items() if k not in _PLAIN_ARGUMENTS)
        sentence = f"{col} passes `{qualified}`" + (f" ({arguments})" if arguments else "")
    return sentence[0].upper() + sentence[1:] if sentence[0] != "`" else sentence
