"""Jira Cloud platform REST API v3 double, written from Atlassian's published documentation.

Reference: the Jira Cloud platform REST API v3 reference, read from its published OpenAPI
document (https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json, version
1001.0.0-SNAPSHOT of late 2025) behind https://developer.atlassian.com/cloud/jira/platform/rest/v3/.
Documented behaviours:

Auth - Basic `{email}:{api_token}`; wrong or missing credentials: 401 ("Returned if the
authentication credentials are incorrect or missing", on every operation used here).
  https://developer.atlassian.com/cloud/jira/platform/jira-rest-api-basic-authentication
  Body `{"message": "Client must be authenticated to access this resource.", "status-code": 401}`
  as observed (https://bitbucket.org/atlassianlabs/automatic-cloud-backup/issues/22).
`GET /rest/api/3/myself` - the current user.
  https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
`GET|POST /rest/api/3/search/jql` - enhanced search.
  https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-get
  - `jql` "requires a bounded query ... Example of an unbounded query: `order by key desc`":
    an unbounded one gets 400 `{"errorMessages": ["Unbounded JQL queries are not allowed here.
    Please add a search restriction to your query."], "errors": {}}` (the message as clients
    see it; the reference only lists "400 Returned if the search request is invalid").
  - `orderBy` clause: at most 7 fields.
  - `nextPageToken`: absent on the last page; the first page has none; tokens "expire in 7
    days". `isLast`. `maxResults` default 50 ("returns max 5000 issues" when only id/key are
    requested; fewer "where a large number of fields are requested": 100 here).
  - `fields` default `id` ("By default, this resource returns IDs only"); `*all`, `*navigable`,
    names, `-name` exclusions; several `fields` parameters allowed.
  - `expand=changelog`: "Returns a list of recent updates to an issue, sorted by date, starting
    from the most recent"; at most 40 of them (documented for the bulk fetch expand and by
    Atlassian for enhanced search: https://jira.atlassian.com/browse/JRACLOUD-96459, which
    points to the changelog endpoint for the rest). `changelog.total` is the full count.
  JQL dates ("yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy/MM/dd", "yyyy-MM-dd", relative
  "-5d"/"-4w"/"-2h"/"-30m", or an unquoted number = milliseconds after epoch):
  https://confluence.atlassian.com/spaces/JIRA052/pages/314448708/__JQL+Date+Time+Formats
  They are read in the user's time zone; this double's user (myself.timeZone) is UTC.
`GET /rest/api/3/issue/{issueIdOrKey}/changelog` - "a paginated list of all changelogs for an
issue sorted by date, starting from the oldest": `startAt` (default 0), `maxResults`
(default 100), response `self`, `nextPage` (only when there is one), `maxResults`, `startAt`,
`total`, `isLast`, `values`; 404 for an unknown issue.
  https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-changelog-get
429 (via `apis.fail`): `Retry-After` seconds (and a `RateLimit-Reason`).
  https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from .base import (Call, Conditions, Response, Vendor, basic_credentials, decode_token, encode_token, json_response,
                   parse_time, reason)

UNBOUNDED = "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
NO_ISSUE = "Issue does not exist or you do not have permission to see it."
DATE_FIELDS = {"updated": "updated", "created": "created", "resolved": "resolutiondate",
               "resolutiondate": "resolutiondate"}
TOKEN_LIFETIME = 7 * 86400
CHANGELOG_IN_SEARCH = 40


def _errors(status: int, *messages: str) -> Response:
    return json_response(status, {"errorMessages": list(messages), "errors": {}})


class JqlError(ValueError):
    pass


class Jira(Vendor):
    name = "jira"
    prefixes = ("/rest/",)

    def __init__(self, apis) -> None:
        super().__init__(apis)
        self.page_size_cap: int | None = None  # caps maxResults of search and changelog

    def error(self, status: int, message: str | None = None) -> Response:
        if status == 401:
            return json_response(401, {"message": "Client must be authenticated to access this resource.",
                                       "status-code": 401})
        response = _errors(status, message or reason(status))
        if status == 429:
            # https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
            response.headers.update({"Retry-After": "1", "RateLimit-Reason": "jira-burst-based"})
        return response

    def handle(self, call: Call) -> Response:
        creds = self.apis.credentials["jira"]
        if basic_credentials(call.headers) != (creds["email"], creds["token"]):
            return self.error(401)
        path = call.path.rstrip("/")
        if path == "/rest/api/3/myself" and call.method == "GET":
            return self.myself()
        if path == "/rest/api/3/search/jql" and call.method in ("GET", "POST"):
            return self.search(call)
        match = re.fullmatch(r"/rest/api/3/issue/([^/]+)/changelog", path)
        if match and call.method == "GET":
            return self.changelog(call, match.group(1))
        return _errors(404, "Not Found")

    # ------------------------------------------------------------------ data
    def _issues(self) -> list[dict]:
        return self.store.records("jira/issues.jsonl")

    def _issue(self, id_or_key: str) -> dict | None:
        return next((i for i in self._issues() if id_or_key in (str(i.get("id")), i.get("key"))), None)

    @staticmethod
    def _histories(issue: dict) -> list[dict]:
        """All changelog histories, oldest first."""
        histories = (issue.get("changelog") or {}).get("histories") or []
        return sorted(histories, key=_history_order)

    def myself(self) -> Response:
        """https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get"""
        email = self.apis.credentials["jira"]["email"]
        return json_response(200, {
            "self": f"{self.apis.url}/rest/api/3/user?accountId=5b10a2844c20165700ede21g",
            "accountId": "5b10a2844c20165700ede21g", "accountType": "atlassian", "emailAddress": email,
            "displayName": "API user", "active": True, "timeZone": "UTC", "locale": "en_US",
            "groups": {"size": 0, "items": []}, "applicationRoles": {"size": 0, "items": []}})

    # ------------------------------------------------------------------ search
    def search(self, call: Call) -> Response:
        """https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post"""
        if call.method == "POST":
            body = call.body if isinstance(call.body, dict) else {}
            jql = body.get("jql") or ""
            token = body.get("nextPageToken")
            max_results = body.get("maxResults")
            fields = body.get("fields") or ["id"]
            expand = body.get("expand") or ""
            if isinstance(expand, list):
                expand = ",".join(expand)
        else:
            jql = call.query.get("jql", "")
            token = call.query.get("nextPageToken")
            max_results = call.query.get("maxResults")
            fields = [f for value in call.query_all.get("fields", []) for f in value.split(",")] or ["id"]
            expand = call.query.get("expand", "")
        fields = [f.strip() for f in fields if str(f).strip()]
        try:
            restriction, order = parse_jql(jql, self.clock.now())
        except JqlError as exc:
            return _errors(400, str(exc))
        if restriction is None:
            return _errors(400, UNBOUNDED)
        offset = 0
        if token:
            decoded = decode_token(token)
            if not (isinstance(decoded, dict) and isinstance(decoded.get("o"), int)):
                return _errors(400, "The provided next page token is invalid.")
            if self.clock.now() - decoded.get("t", 0) > TOKEN_LIFETIME:  # "This token will expire in 7 days"
                return _errors(400, "The provided next page token has expired.")
            offset = decoded["o"]
        only_ids = set(fields) <= {"id", "key"}
        maximum = 5000 if only_ids else 100
        try:
            size = int(max_results) if max_results not in (None, "") else 50
        except (TypeError, ValueError):
            return _errors(400, "maxResults must be a number.")
        size = max(1, min(size, maximum))
        if self.page_size_cap:
            size = min(size, self.page_size_cap)
        matches = [i for i in self._issues() if restriction(i)]
        matches = sort_issues(matches, order)
        page = matches[offset: offset + size]
        with_changelog = "changelog" in [e.strip() for e in expand.split(",")]
        result: dict = {"issues": [self._render(i, fields, with_changelog) for i in page]}
        if offset + size < len(matches):
            result["nextPageToken"] = encode_token({"o": offset + size, "t": self.clock.now()})
            result["isLast"] = False
        else:
            result["isLast"] = True
        return json_response(200, result)

    def _render(self, issue: dict, fields: list[str], with_changelog: bool) -> dict:
        source = issue.get("fields") or {}
        wanted: set[str] = set()
        for f in fields:
            if f in ("*all", "*navigable"):
                wanted |= set(source)
            elif not f.startswith("-") and f not in ("id", "key"):
                wanted.add(f)
        for f in fields:
            if f.startswith("-"):
                wanted.discard(f[1:])
        out = {"expand": "", "id": str(issue["id"]), "self": f"{self.apis.url}/rest/api/3/issue/{issue['id']}",
               "key": issue["key"], "fields": {k: source[k] for k in source if k in wanted}}
        if with_changelog:
            histories = self._histories(issue)
            newest = list(reversed(histories))[:CHANGELOG_IN_SEARCH]
            out["changelog"] = {"startAt": 0, "maxResults": len(newest), "total": len(histories), "histories": newest}
        return out

    # ------------------------------------------------------------------ changelog
    def changelog(self, call: Call, id_or_key: str) -> Response:
        """https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-changelog-get"""
        issue = self._issue(id_or_key)
        if issue is None:
            return _errors(404, NO_ISSUE)
        try:
            start = max(0, int(call.query.get("startAt") or 0))
            size = int(call.query.get("maxResults") or 100)
        except ValueError:
            return _errors(400, "startAt and maxResults must be numbers.")
        size = max(1, min(size, 100))
        if self.page_size_cap:
            size = min(size, self.page_size_cap)
        histories = self._histories(issue)
        values = histories[start: start + size]
        is_last = start + len(values) >= len(histories)
        base = f"{self.apis.url}/rest/api/3/issue/{id_or_key}/changelog"
        result = {"self": f"{base}?{urlencode({'startAt': start, 'maxResults': size})}",
                  "maxResults": size, "startAt": start, "total": len(histories), "isLast": is_last, "values": values}
        if not is_last:
            result["nextPage"] = f"{base}?{urlencode({'startAt': start + size, 'maxResults': size})}"
        return json_response(200, result)


def _history_order(history: dict) -> tuple:
    return (parse_time(history["created"]), int(history["id"]) if str(history["id"]).isdigit() else 0)


# ---------------------------------------------------------------------- JQL

_TOKEN = re.compile(r"""\s*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(>=|<=|!=|!~|=|>|<|~|\(|\)|,)|([^\s=<>!~(),"']+))""")


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise JqlError(f"Error in the JQL Query: unexpected character at position {pos}.")
        out.append(m.group(0).strip())
        pos = m.end()
    return out


def _unquote(value: str) -> tuple[str, bool]:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1], True
    return value, False


def jql_instant(value: str, now: float) -> float:
    """A JQL date value as epoch seconds, read in UTC (the double's user time zone).
    https://confluence.atlassian.com/spaces/JIRA052/pages/314448708/__JQL+Date+Time+Formats"""
    text, quoted = _unquote(value)
    text = text.strip()
    if not quoted and re.fullmatch(r"\d+", text):
        return int(text) / 1000.0  # "the number you supply will be interpreted as milliseconds after epoch"
    rel = re.fullmatch(r"([+-]?)((?:\d+[wdhm]\s*)+)", text)
    if rel:
        seconds = sum(int(n) * {"w": 604800, "d": 86400, "h": 3600, "m": 60}[u]
                      for n, u in re.findall(r"(\d+)([wdhm])", rel.group(2)))
        return now - seconds if rel.group(1) == "-" else now + seconds
    if re.fullmatch(r"[+-]?\d+", text):  # a bare quoted number: minutes, the default unit
        return now + int(text) * 60
    for fmt in ("%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.timezone.utc).timestamp()
        except ValueError:
            continue
    raise JqlError(f"Date value '{text}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', "
                   "'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.")


def _issue_value(issue: dict, field: str):
    f = issue.get("fields") or {}
    if field in DATE_FIELDS:
        value = f.get(DATE_FIELDS[field])
        return parse_time(value) if value else None
    if field == "project":
        project = f.get("project") or {}
        return {str(project.get("key", "")).lower(), str(project.get("id", "")).lower(),
                str(project.get("name", "")).lower()}
    if field in ("key", "issuekey"):
        return {issue["key"].lower(), str(issue["id"])}
    if field == "id":
        return {str(issue["id"])}
    if field == "status":
        return {str((f.get("status") or {}).get("name", "")).lower()}
    raise JqlError(f"Field '{field}' does not exist or you do not have permission to view it.")


def _clause(field: str, op: str, values: list[str], now: float):
    field = field.lower()
    _issue_value({"id": "0", "key": "X-0", "fields": {}}, field)  # validates the field name
    if field in DATE_FIELDS:
        if op not in ("=", "!=", ">", ">=", "<", "<="):
            raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")
        bound = jql_instant(values[0], now)
        compare = {"=": lambda v: v == bound, "!=": lambda v: v != bound, ">": lambda v: v > bound,
                   ">=": lambda v: v >= bound, "<": lambda v: v < bound, "<=": lambda v: v <= bound}[op]
        return lambda issue: (value := _issue_value(issue, field)) is not None and compare(value)
    wanted = {_unquote(v)[0].lower() for v in values}
    if op in ("=", "in"):
        return lambda issue: bool(_issue_value(issue, field) & wanted)
    if op in ("!=", "not in"):
        return lambda issue: not (_issue_value(issue, field) & wanted)
    raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")


class _Parser(Conditions):
    def __init__(self, tokens: list[str], now: float) -> None:
        super().__init__(tokens)
        self.now = now

    def error(self, problem: str) -> JqlError:
        return JqlError({"incomplete": "Error in the JQL Query: the query is incomplete.",
                         "unclosed": "Error in the JQL Query: expecting ')'."}[problem])

    def comparison(self):
        field = _unquote(self.take())[0]
        op = self.take().lower()
        if op == "not" and (self.peek() or "").lower() == "in":
            self.take()
            op = "not in"
        if op in ("in", "not in"):
            if self.take() != "(":
                raise JqlError("Error in the JQL Query: expecting '(' after IN.")
            values = [self.take()]
            while self.peek() == ",":
                self.take()
                values.append(self.take())
            if self.take() != ")":
                raise JqlError("Error in the JQL Query: expecting ')'.")
            return _clause(field, op, values, self.now)
        if op not in ("=", "!=", ">", ">=", "<", "<=", "~", "!~"):
            raise JqlError(f"Error in the JQL Query: expecting an operator but got '{op}'.")
        return _clause(field, op, [self.take()], self.now)


ORDER_FIELDS = {"updated", "created", "resolved", "resolutiondate", "key", "issuekey", "id", "project"}


def parse_jql(jql: str, now: float):
    """(restriction or None when unbounded, [(field, descending)]).
    The `orderBy` clause "can contain a maximum of 7 fields"."""
    text = (jql or "").strip()
    m = re.search(r"\border\s+by\b", text, flags=re.IGNORECASE)
    where, order_text = (text[: m.start()], text[m.end():]) if m else (text, "")
    order = []
    if m:
        for part in order_text.split(","):
            bits = part.split()
            if not bits or len(bits) > 2 or (len(bits) == 2 and bits[1].lower() not in ("asc", "desc")):
                raise JqlError("Error in the JQL Query: invalid ORDER BY clause.")
            if bits[0].lower() not in ORDER_FIELDS:
                raise JqlError(f"Field '{bits[0]}' does not exist or you do not have permission to view it.")
            order.append((bits[0].lower(), len(bits) == 2 and bits[1].lower() == "desc"))
        if len(order) > 7:
            raise JqlError("The orderBy clause can contain a maximum of 7 fields.")
    tokens = _tokens(where)
    if not tokens:
        return None, order
    parser = _Parser(tokens, now)
    restriction = parser.expression()
    if parser.peek() is not None:
        raise JqlError(f"Error in the JQL Query: unexpected '{parser.peek()}'.")
    return restriction, order


def _sort_value(issue: dict, field: str):
    f = issue.get("fields") or {}
    if field in DATE_FIELDS:
        value = f.get(DATE_FIELDS[field])
        return parse_time(value) if value else None
    if field in ("key", "issuekey"):
        project, _, number = issue["key"].partition("-")
        return (project, int(number) if number.isdigit() else 0)
    if field == "id":
        return int(issue["id"]) if str(issue["id"]).isdigit() else issue["id"]
    if field == "project":
        return (f.get("project") or {}).get("key", "")
    return None


def sort_issues(issues: list[dict], order: list[tuple[str, bool]]) -> list[dict]:
    """Stable multi-key sort; issues without a value go last. Without ORDER BY the order is
    not documented: id ascending here."""
    out = sorted(issues, key=lambda i: int(i["id"]) if str(i["id"]).isdigit() else 0)
    for field, descending in reversed(order):
        present = [i for i in out if _sort_value(i, field) is not None]
        missing = [i for i in out if _sort_value(i, field) is None]
        out = sorted(present, key=lambda i: _sort_value(i, field), reverse=descending) + missing
    return out
