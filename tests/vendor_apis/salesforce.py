"""Salesforce REST API double, written from Salesforce's published documentation.

Documented behaviours implemented (URL per behaviour; repeated next to the code):

Auth - `Authorization: Bearer token`; an invalid or missing token gets 401 with "the message
and errorCode": `[{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]`.
  https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
`GET /services/data/` - Versions: no authentication, does not count towards the API limit.
  https://developer.salesforce.com/docs/platform/api-rest/guide/resources-versions.html
  https://developer.salesforce.com/docs/platform/api-rest/guide/dome-versions.md
`GET /services/data/vXX.X/limits` - `DailyApiRequests` `Max`/`Remaining`.
  https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
`Sforce-Limit-Info: api-usage=N/M` on every REST response except the Versions resource.
  https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
API request limit: when exhausted, 403 `REQUEST_LIMIT_EXCEEDED` ("If the error code is
REQUEST_LIMIT_EXCEEDED, you've exceeded API request limits in your org").
  https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
`GET /services/data/vXX.X/query?q=SOQL` - `totalSize`, `done`, `records`, `nextRecordsUrl`
(`/services/data/v65.0/query/01gRO0000016PIAYA2-500` in the docs' example); up to 2,000 records
per batch; an invalid query gets MALFORMED_QUERY.
  https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html
`Sforce-Query-Options: batchSize=N` - "The default is 2,000; the minimum is 200, and the maximum
is 2,000" (values outside are clamped here).
  https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
SOQL dateTime literals: YYYY-MM-DDThh:mm:ss+hh:mm, YYYY-MM-DDThh:mm:ss-hh:mm,
YYYY-MM-DDThh:mm:ssZ, not enclosed in quotes; a date filters date fields only and a dateTime
dateTime fields only.
  https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-dateformats.html
Query locators (`nextRecordsUrl`): "Cursors and their related query results are available for
2 days" and there is no limit on open cursors since API v56.0; before v56.0 the oldest of 10
cursors per user was released and a cursor "expired after 15 minutes of inactivity" (kept here
for versions below 56.0, or for any version with `locator_idle_seconds`). An expired or unknown
locator gets 400 `[{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}]`.
  https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-apicursors.html
  https://developer.salesforce.com/docs/atlas.en-us.238.0.api.meta/api/sforce_api_calls_querymore_querylocator.htm
  https://help.salesforce.com/s/articleView?id=000384958&type=1
"""

from __future__ import annotations

import itertools
import re

from .base import Call, Conditions, Response, Vendor, bearer_token, json_response, parse_time, reason

OLDEST_VERSION, LATEST_VERSION = 31.0, 66.0
TWO_DAYS = 2 * 86400
LEGACY_IDLE = 15 * 60
SEASONS = ("Winter", "Spring", "Summer")
DATETIME_LITERAL = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})")
DATE_LITERAL = re.compile(r"\d{4}-\d{2}-\d{2}")
DATETIME_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def _error(status: int, code: str, message: str) -> Response:
    """Error bodies are an array of {message, errorCode}:
    https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm"""
    return json_response(status, [{"message": message, "errorCode": code}])


class SoqlError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def version_label(version: float) -> str:
    """v20.0 was Winter '11; three releases a year (Winter, Spring, Summer)."""
    index = int(round(version)) - 20
    return f"{SEASONS[index % 3]} '{11 + index // 3:02d}"


class Salesforce(Vendor):
    name = "salesforce"
    prefixes = ("/services/",)

    def __init__(self, apis) -> None:
        super().__init__(apis)
        self.batch_size: int | None = None           # forces the batch size (below the documented 200 too)
        self.requests_remaining: int | None = None   # None = unlimited
        self.daily_api_max = 100000                  # the allocation's base figure
        self.requests_used = 0
        self.locator_max_age = TWO_DAYS
        self.locator_idle_seconds: float | None = None  # None: the version's documented rule
        self._locators: dict[str, dict] = {}
        self._sequence = itertools.count(1)

    # ------------------------------------------------------------------ plumbing
    def error(self, status: int, message: str | None = None) -> Response:
        """The body `apis.fail` sends by default: 401 INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED,
        404 NOT_FOUND, 500 UNKNOWN_EXCEPTION, 503 SERVER_UNAVAILABLE, else the reason phrase."""
        codes = {400: "BAD_REQUEST", 401: "INVALID_SESSION_ID", 403: "REQUEST_LIMIT_EXCEEDED",
                 404: "NOT_FOUND", 500: "UNKNOWN_EXCEPTION", 503: "SERVER_UNAVAILABLE"}
        messages = {401: "Session expired or invalid", 403: "TotalRequests Limit exceeded."}
        response = _error(status, codes.get(status, reason(status).upper().replace(" ", "_")),
                          message or messages.get(status, reason(status)))
        if status != 401:
            response.headers.update(self._limit_header())
        return response

    def expire_locators(self) -> None:
        """Expire every open query locator now."""
        for entry in self._locators.values():
            entry["expired"] = True

    def _limit_max(self) -> int:
        if self.requests_remaining is None:
            return self.daily_api_max
        return self.requests_used + self.requests_remaining

    def _limit_header(self) -> dict[str, str]:
        # https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
        return {"Sforce-Limit-Info": f"api-usage={self.requests_used}/{self._limit_max()}"}

    def handle(self, call: Call) -> Response:
        path = call.path
        if path.rstrip("/") == "/services/data" and call.method == "GET":
            return self.versions()
        if bearer_token(call.headers) != self.apis.credentials["salesforce"]["access_token"]:
            return _error(401, "INVALID_SESSION_ID", "Session expired or invalid")
        if self.requests_remaining is not None and self.requests_remaining <= 0:
            return self._with_header(_error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
        self.requests_used += 1
        if self.requests_remaining is not None:
            self.requests_remaining -= 1
        m = re.fullmatch(r"/services/data/v(\d+\.\d)(/.*)?", path.rstrip("/"))
        if not m or not (OLDEST_VERSION <= float(m.group(1)) <= LATEST_VERSION):
            return self._with_header(_error(404, "NOT_FOUND", "The requested resource does not exist"))
        version, rest = float(m.group(1)), m.group(2) or ""
        if rest == "/limits" and call.method == "GET":
            response = self.limits()
        elif rest == "/query" and call.method == "GET":
            response = self.query(call, version)
        elif (more := re.fullmatch(r"/query/([A-Za-z0-9]+)-(\d+)", rest)) and call.method == "GET":
            response = self.query_more(more.group(1), int(more.group(2)))
        elif rest.startswith("/query/") and call.method == "GET":
            response = _error(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        else:
            response = _error(404, "NOT_FOUND", "The requested resource does not exist")
        return self._with_header(response)

    def _with_header(self, response: Response) -> Response:
        response.headers.update(self._limit_header())
        return response

    # ------------------------------------------------------------------ resources
    def versions(self) -> Response:
        """https://developer.salesforce.com/docs/platform/api-rest/guide/dome-versions.md
        ("You don't need authentication"; not counted, no Sforce-Limit-Info)."""
        versions = [OLDEST_VERSION + i for i in range(int(LATEST_VERSION - OLDEST_VERSION) + 1)]
        return json_response(200, [{"label": version_label(v), "url": f"/services/data/v{v:.1f}",
                                    "version": f"{v:.1f}"} for v in versions])

    def limits(self) -> Response:
        """https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm"""
        maximum = self._limit_max()
        return json_response(200, {"DailyApiRequests": {"Max": maximum, "Remaining": maximum - self.requests_used}})

    def _batch(self, call: Call) -> int:
        """https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm"""
        if self.batch_size:
            return self.batch_size
        size = 2000
        m = re.search(r"batchSize\s*=\s*(\d+)", call.headers.get("Sforce-Query-Options") or "")
        if m:
            size = min(2000, max(200, int(m.group(1))))
        return size

    def query(self, call: Call, version: float) -> Response:
        """https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html"""
        soql = call.query.get("q")
        if not soql:
            return _error(400, "MALFORMED_QUERY", "A query string has to be specified")
        try:
            rows = run_soql(soql, self.store)
        except SoqlError as exc:
            return _error(400, exc.code, str(exc))
        batch = self._batch(call)
        now = self.clock.now()
        locator = None
        if len(rows) > batch:
            locator = f"01gRO{next(self._sequence):013d}"
            self._locators[locator] = {"rows": rows, "created": now, "last": now, "version": version,
                                       "batch": batch, "expired": False}
        return json_response(200, self._page(rows, 0, batch, locator, version))

    def _page(self, rows: list[dict], offset: int, batch: int, locator: str | None, version: float) -> dict:
        records = rows[offset: offset + batch]
        done = offset + len(records) >= len(rows)
        result = {"totalSize": len(rows), "done": done, "records": records}
        if not done:
            result["nextRecordsUrl"] = f"/services/data/v{version:.1f}/query/{locator}-{offset + batch}"
        return result

    def _expired(self, entry: dict) -> bool:
        now = self.clock.now()
        idle = self.locator_idle_seconds
        if idle is None and entry["version"] < 56.0:
            idle = LEGACY_IDLE  # before API v56.0: "expired after 15 minutes of inactivity"
        return (entry["expired"] or now - entry["created"] > self.locator_max_age
                or (idle is not None and now - entry["last"] > idle))

    def query_more(self, locator: str, offset: int) -> Response:
        """Query More Results via nextRecordsUrl; expired/unknown locators: INVALID_QUERY_LOCATOR.
        https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query-more-results.md"""
        entry = self._locators.get(locator)
        if entry is None or self._expired(entry) or not 0 < offset < len(entry["rows"]):
            return _error(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        entry["last"] = self.clock.now()
        return json_response(200, self._page(entry["rows"], offset, entry["batch"], locator, entry["version"]))


# ---------------------------------------------------------------------- SOQL

_SOQL = re.compile(r"^\s*select\s+(?P<fields>.+?)\s+from\s+(?P<obj>\w+)"
                   r"(?:\s+where\s+(?P<where>.+?))?"
                   r"(?:\s+order\s+by\s+(?P<order>.+?))?"
                   r"(?:\s+limit\s+(?P<limit>\d+))?\s*$", re.IGNORECASE | re.DOTALL)
_WHERE_TOKEN = re.compile(r"""\s*('(?:[^'\\]|\\.)*'|>=|<=|!=|<>|=|>|<|\(|\)|[^\s=<>!()']+)""")


def _kind(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str) and DATETIME_VALUE.match(value):
        return "datetime"
    if isinstance(value, str) and DATE_LITERAL.fullmatch(value):
        return "date"
    return "string"


def _literal(token: str, field: str, kind: str):
    """The comparable value of a WHERE literal for a field of `kind`."""
    if token.startswith("'"):
        text = token[1:-1]
        if kind in ("datetime", "date"):
            # quoted dates are refused (dates are "not enclosed in single quotes")
            raise SoqlError("INVALID_FIELD", f"value of filter criterion for field '{field}' must be of type "
                            f"{'dateTime' if kind == 'datetime' else 'date'} and should not be enclosed in quotes")
        return text
    low = token.lower()
    if low == "null":
        return None
    if low in ("true", "false"):
        return low == "true"
    if DATETIME_LITERAL.fullmatch(token):
        if kind != "datetime":
            raise SoqlError("INVALID_FIELD", f"value of filter criterion for field '{field}' must be of type {kind}")
        return parse_time(token)
    if DATE_LITERAL.fullmatch(token):
        if kind != "date":
            raise SoqlError("INVALID_FIELD", f"value of filter criterion for field '{field}' must be of type {kind}")
        return token
    try:
        return float(token)
    except ValueError:
        raise SoqlError("MALFORMED_QUERY", f"unexpected token: '{token}'") from None


def _value(record: dict, field: str, kind: str):
    value = record.get(field)
    if value is None:
        return None
    return parse_time(value) if kind == "datetime" else value


class _Where(Conditions):
    def __init__(self, tokens: list[str], fields: dict[str, str], kinds: dict[str, str], obj: str) -> None:
        super().__init__(tokens)
        self.fields, self.kinds, self.obj = fields, kinds, obj

    def error(self, problem: str) -> SoqlError:
        return SoqlError("MALFORMED_QUERY", {"incomplete": "unexpected end of query", "unclosed": "expecting ')'"}[problem])

    def comparison(self):
        token = self.take()
        field = self.fields.get(token.lower())
        if field is None:
            raise SoqlError("INVALID_FIELD", f"No such column '{token}' on entity '{self.obj}'. If you are attempting "
                            "to use a custom field, be sure to append the '__c' after the custom field name.")
        op = self.take()
        kind = self.kinds[field]
        bound = _literal(self.take(), field, kind)
        ops = {"=": lambda v: v == bound, "!=": lambda v: v != bound, "<>": lambda v: v != bound,
               "<": lambda v: v is not None and v < bound, "<=": lambda v: v is not None and v <= bound,
               ">": lambda v: v is not None and v > bound, ">=": lambda v: v is not None and v >= bound}
        if op not in ops:
            raise SoqlError("MALFORMED_QUERY", f"unexpected token: '{op}'")
        if bound is None and op not in ("=", "!=", "<>"):
            raise SoqlError("MALFORMED_QUERY", "null can only be compared with = or !=")
        compare = ops[op]
        return lambda r: compare(_value(r, field, kind))


def run_soql(soql: str, store) -> list[dict]:
    """The records a `SELECT ... FROM ... [WHERE ...] [ORDER BY ...] [LIMIT n]` query returns:
    the selected fields plus `attributes`, as the Query resource returns them."""
    m = _SOQL.match(soql)
    if not m:
        raise SoqlError("MALFORMED_QUERY", f"unexpected token in query: {soql[:60]}")
    obj = m.group("obj")
    rel = next((f"salesforce/{name}.jsonl" for name in _objects(store) if name.lower() == obj.lower()), None)
    if rel is None:
        raise SoqlError("INVALID_TYPE", f"sObject type '{obj}' is not supported. If you are attempting to use a "
                        "custom object, be sure to append the '__c' after the entity name.")
    records = store.records(rel)
    obj = rel.split("/")[1].removesuffix(".jsonl")
    names = sorted({k for r in records for k in r if k != "attributes"})
    fields = {n.lower(): n for n in names}
    kinds = {n: next((_kind(r[n]) for r in records if r.get(n) is not None), "string") for n in names}
    selected = []
    for raw in m.group("fields").split(","):
        name = fields.get(raw.strip().lower())
        if name is None:
            raise SoqlError("INVALID_FIELD", f"No such column '{raw.strip()}' on entity '{obj}'.")
        selected.append(name)
    rows = list(records)
    if m.group("where"):
        tokens = [t.strip() for t in _WHERE_TOKEN.findall(m.group("where"))]
        parser = _Where(tokens, fields, kinds, obj)
        keep = parser.expression()
        if parser.pos != len(tokens):
            raise SoqlError("MALFORMED_QUERY", f"unexpected token: '{tokens[parser.pos]}'")
        rows = [r for r in rows if keep(r)]
    if m.group("order"):
        for part in reversed(m.group("order").split(",")):
            bits = part.split()
            name = fields.get(bits[0].lower()) if bits else None
            if name is None:
                raise SoqlError("INVALID_FIELD", f"No such column '{part.strip()}' on entity '{obj}'.")
            words = [b.lower() for b in bits[1:]]
            descending = "desc" in words
            nulls_last = words[-2:] == ["nulls", "last"]  # default: NULLS FIRST
            kind = kinds[name]
            present = [r for r in rows if r.get(name) is not None]
            missing = [r for r in rows if r.get(name) is None]
            present.sort(key=lambda r: _value(r, name, kind), reverse=descending)
            rows = present + missing if nulls_last else missing + present
    if m.group("limit"):
        rows = rows[: int(m.group("limit"))]
    return [{"attributes": r.get("attributes") or {"type": obj, "url": f"/services/data/v{LATEST_VERSION:.1f}"
                                                                       f"/sobjects/{obj}/{r.get('Id')}"},
             **{n: r.get(n) for n in selected}} for r in rows]


def _objects(store) -> list[str]:
    return [rel.split("/")[1].removesuffix(".jsonl") for rel in store.files("salesforce")]
