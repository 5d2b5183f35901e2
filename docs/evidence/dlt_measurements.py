"""Measure what dlt (1.31) does to our REST extracts, against the loopback FakeApiServer.

Run from the repo root:  .venv/bin/python docs/evidence/dlt_measurements.py
Everything (generated company, pipelines dir, filesystem bucket) lives in one temp dir that is
removed at the end; telemetry is off. Prints one table: experiment | measurement | value.
  1. resume granularity: does a crash mid-extraction keep per-page cursor/incremental state?
  2. record fidelity: dlt's jsonl vs. the records the server served (default vs. closest settings)
  3. retry helper: 429 + Retry-After, 5xx, dropped body; attempts; is the sleep injectable?
"""
import os, sys, json, glob, shutil, tempfile, time, inspect, subprocess, types
from pathlib import Path

os.environ.update({"RUNTIME__DLT_TELEMETRY": "false", "RUNTIME__LOG_LEVEL": "CRITICAL",
                   "NORMALIZE__DATA_WRITER__DISABLE_COMPRESSION": "true"})  # plain .jsonl, not .jsonl.gz
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "orchestration"))
import dlt
from dlt.sources.rest_api import rest_api_source
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import JSONLinkPaginator, JSONResponseCursorPaginator
from dlt.sources.helpers.requests import Client
from time_to_smile.generator import generate_company


def _load_server():
    """time_to_smile.extract.server; if the work tree no longer has it, its last committed version (stdlib only)."""
    try:
        from time_to_smile.extract import server
        return server
    except ImportError:
        repo, rel = Path(__file__).resolve().parents[2], "orchestration/time_to_smile/extract/server.py"
        git = lambda *a: subprocess.run(["git", "-C", str(repo), *a], capture_output=True, text=True).stdout
        gone = git("log", "-n1", "--diff-filter=D", "--format=%H", "--", rel).strip()
        code = git("show", f"{gone}^:{rel}" if gone else f"HEAD:{rel}")
        mod = sys.modules["fake_api_server"] = types.ModuleType("fake_api_server")
        exec(compile(code, rel, "exec"), mod.__dict__)
        return mod


_srv = _load_server()
FakeApiServer, ServerConfig, Fault = _srv.FakeApiServer, _srv.ServerConfig, _srv.Fault

T0, ROOT = time.perf_counter(), Path(tempfile.mkdtemp(prefix="dltexp_"))
ROWS: list[tuple[str, str, object]] = []
ZD, SF = {"Authorization": "Basic eDp5"}, {"Authorization": "Bearer tok"}
AUDITS = "/api/v2/ticket_audits.json"
DLT_COLS = {"_dlt_id", "_dlt_load_id"}


def row(exp, what, value):
    ROWS.append((exp, what, value))


def pipeline(name, bucket=None):
    dest = dlt.destinations.filesystem(bucket_url=str(bucket or ROOT / "dest" / name))
    return dlt.pipeline(name, pipelines_dir=str(ROOT / "pipelines"), destination=dest, dataset_name="ds")


def read_table(bucket, table):  # all jsonl lines of one table (table dir matched case-insensitively)
    dirs = [d for d in (Path(bucket) / "ds").iterdir() if d.name.lower() == table.lower()]
    files = sorted(f for d in dirs for f in glob.glob(str(d / "*.jsonl")))
    return [line for f in files for line in Path(f).read_text(encoding="utf-8").splitlines()]


class EndOfStream(JSONResponseCursorPaginator):
    """Zendesk incremental ticket export: follow `after_cursor` until `end_of_stream`."""
    def update_state(self, response, data=None):
        super().update_state(response, data)
        if response.json().get("end_of_stream"):
            self._has_next_page = False


# ---------------------------------------------------------------- 1. resume granularity
def audits_resource(srv, crash_at=None):
    client = RESTClient(base_url=srv.url, headers=ZD, paginator=JSONLinkPaginator("links.next"), data_selector="audits")

    @dlt.resource(name="audits", primary_key="id")
    def audits(created=dlt.sources.incremental("created_at", initial_value="1970-01-01T00:00:00Z")):
        state = dlt.current.resource_state()          # a hand-kept page cursor, to see if it survives
        params = {"page[size]": 7, **({"page[after]": state["after"]} if state.get("after") else {})}
        for n, page in enumerate(client.paginate(AUDITS, params=params), 1):
            state["after"] = page.response.json()["meta"]["after_cursor"]
            state["pages"] = state.get("pages", 0) + 1
            yield page
            if n == crash_at:
                raise RuntimeError(f"simulated crash after page {n}")
    return audits


def resume_experiment(srv):
    reqs = lambda: sum(1 for r in srv.requests if r[1] == AUDITS)  # requests served for the audits path

    def loaded(name):
        ids = [json.loads(line)["id"] for line in read_table(ROOT / "dest" / name, "audits")]
        return f"{len(ids)} rows / {len(set(ids))} unique"

    def audit_state(p):
        res = (p.state.get("sources") or {}).get(p.pipeline_name, {}).get("resources", {}).get("audits", {})
        inc = res.get("incremental", {}).get("created_at", {})
        return f"pages={res.get('pages')} after={res.get('after')} last_value={inc.get('last_value')}"

    E = "1 resume"
    a = reqs(); p = pipeline("clean"); p.run(audits_resource(srv), loader_file_format="jsonl")
    row(E, "clean run: requests / rows loaded", f"{reqs() - a} / {loaded('clean')}")

    a = reqs(); p = pipeline("crash")
    try:
        p.run(audits_resource(srv, crash_at=5), loader_file_format="jsonl")
    except Exception as e:  # PipelineStepFailed wrapping ResourceExtractionError
        row(E, "crash run: exception / failed step", f"{type(e).__name__} / {getattr(e, 'step', '?')}")
    row(E, "crash run: requests made", reqs() - a)
    # state is kept in memory during extract and written only when extract() returns without error
    row(E, "after crash: resource state", audit_state(p))
    row(E, "after crash: extracted / normalized pkgs, pending", f"{p.list_extracted_load_packages()} / "
        f"{p.list_normalized_load_packages()}, has_pending_data={p.has_pending_data}")
    row(E, "after crash: audits data files in working dir / at destination",
        f"{sum('audits' in f.name for f in (ROOT / 'pipelines' / 'crash').rglob('*') if f.is_file())} / "
        f"{sum(1 for _ in (ROOT / 'dest' / 'crash').rglob('*.jsonl'))}")
    a = reqs(); p = pipeline("crash"); p.run(audits_resource(srv), loader_file_format="jsonl")
    row(E, "rerun after crash: requests / rows", f"{reqs() - a} / {loaded('crash')}")

    # same 5 pages, but the run *completes* (add_limit) -> state is committed -> next run resumes
    a = reqs(); p = pipeline("limited"); p.run(audits_resource(srv).add_limit(5), loader_file_format="jsonl")
    row(E, "add_limit(5) completed run: requests / state", f"{reqs() - a} / {audit_state(p)}")
    a = reqs(); p.run(audits_resource(srv), loader_file_format="jsonl")
    row(E, "next normal run: requests / rows total", f"{reqs() - a} / {loaded('limited')} (302 served)")
    # audits are served in ticket order, not created_at order: the resumed incremental filter drops older rows
    recs, lv = srv.records("zendesk/ticket_audits.jsonl"), max(r["created_at"] for r in srv.records("zendesk/ticket_audits.jsonl")[:35])
    row(E, "pages 6-44: audits with created_at >= / < last_value", f"{sum(r['created_at'] >= lv for r in recs[35:])} / {sum(r['created_at'] < lv for r in recs[35:])}")

    # extract succeeds, process 'dies' before normalize/load; destination initialised by a 1-page run first
    p = pipeline("extract_only"); p.run(audits_resource(srv).add_limit(1), loader_file_format="jsonl")
    a = reqs(); p.extract(audits_resource(srv))
    p = pipeline("extract_only")  # fresh object = restarted process; state restored from disk
    row(E, "1-page run, then extract-only: requests / state / pending", f"{reqs() - a} / {audit_state(p)} / {len(p.list_extracted_load_packages())} pkg")
    a = reqs(); p.run(audits_resource(srv), loader_file_format="jsonl")
    row(E, "next run(): requests / rows loaded", f"{reqs() - a} / {loaded('extract_only')}")
    a = reqs(); p.run(audits_resource(srv), loader_file_format="jsonl")
    row(E, "run after that: requests / rows loaded", f"{reqs() - a} / {loaded('extract_only')}")
    # same, but the dataset was never loaded: run() first syncs with the destination, finds no storage
    # and wipes the local working folder (pending package + state) -> full re-extraction
    p = pipeline("never_loaded"); p.extract(audits_resource(srv)); p = pipeline("never_loaded")
    pend, a = len(p.list_extracted_load_packages()), reqs()
    p.run(audits_resource(srv), loader_file_format="jsonl")
    row(E, "extract-only, dataset never loaded: pending / next run() requests / rows", f"{pend} pkg / {reqs() - a} / {loaded('never_loaded')}")


# ---------------------------------------------------------------- 2. record fidelity
TABLES = [  # name, headers, path, params, data_selector, paginator factory, source file, id key
    ("users", ZD, "/api/v2/users.json", {"page[size]": 7}, "users", lambda: JSONLinkPaginator("links.next"), "zendesk/users", "id"),
    ("tickets", ZD, "/api/v2/incremental/tickets/cursor.json", {"start_time": 0}, "tickets",
     lambda: EndOfStream(cursor_path="after_cursor", cursor_param="cursor"), "zendesk/tickets", "id"),
    ("Account", SF, "/services/data/v60.0/query", {"q": "SELECT Id, Name, Segment__c, ARR__c, SystemModstamp FROM Account ORDER BY SystemModstamp ASC"},
     "records", lambda: JSONLinkPaginator("nextRecordsUrl"), "salesforce/Account", "Id"),
]
JSON_HINTS = {"tickets": {c: {"data_type": "json"} for c in ("via", "tags", "custom_fields", "satisfaction_rating")},
              "Account": {"attributes": {"data_type": "json"}}}


def rest_sources(srv, closest, envelope=False, hints=True):
    out = []
    for name, hdr, path, params, sel, pag, _, _ in TABLES:
        res = {"name": name, "endpoint": {"path": path, "params": params, "data_selector": sel, "paginator": pag()}}
        res["columns"] = JSON_HINTS.get(name) if closest and hints else None
        src = rest_api_source({"client": {"base_url": srv.url, "headers": hdr}, "resources": [res]},
                              name=f"src_{name.lower()}", max_table_nesting=0 if closest else None)
        if closest:  # default detections are ["iso_timestamp"]: ISO strings become timestamps
            src.schema.remove_type_detection("iso_timestamp")
        if envelope:  # whole record as one json column
            src.resources[name].add_map(lambda r: {"raw": r})
        out.append(src)
    return out


def file_import_resources(srv, workdir):
    """Write each page's records ourselves (compact JSON lines) and hand dlt the file as-is."""
    def make(name, hdr, path, params, sel, pag):
        @dlt.resource(name=name)
        def res():
            client = RESTClient(base_url=srv.url, headers=hdr, paginator=pag(), data_selector=sel)
            f, n = Path(workdir) / f"{name}.jsonl", 0
            with f.open("w", encoding="utf-8") as out:
                for page in client.paginate(path, params=params):
                    for rec in page:
                        out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n"); n += 1
            yield dlt.mark.with_file_import(str(f), "jsonl", n)
        return res
    return [make(*t[:6]) for t in TABLES]


def fidelity_experiment(srv, company):
    variants = {
        "A default": ({}, lambda: rest_sources(srv, False)),
        "B closest": ({"SCHEMA__NAMING": "direct"}, lambda: rest_sources(srv, True)),
        "B2 closest, no json hints": ({"SCHEMA__NAMING": "direct"}, lambda: rest_sources(srv, True, hints=False)),
        "C closest+envelope": ({"SCHEMA__NAMING": "direct"}, lambda: rest_sources(srv, True, envelope=True)),
        "D file import": ({}, lambda: file_import_resources(srv, ROOT)),
    }
    for label, (env, build) in variants.items():
        os.environ.pop("SCHEMA__NAMING", None); os.environ.update(env)
        bucket = ROOT / "fid" / label.split()[0]
        pipeline(f"fid_{label.split()[0]}", bucket).run(build(), loader_file_format="jsonl")
        os.environ.pop("SCHEMA__NAMING", None)
        tables = sorted(d.name for d in (bucket / "ds").iterdir() if not d.name.startswith("_dlt") and d.name != "init")
        row("2 " + label, "tables written", ", ".join(tables))
        for name, *_, stem, key in TABLES:
            src_lines = (company / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()
            src = {json.loads(l)[key]: (l, json.loads(l)) for l in src_lines}
            out = [(l, json.loads(l)) for l in read_table(bucket, name)]
            byte_eq = json_eq = nonull_eq = 0
            added, missing, ts = set(), set(), ""
            for line, rec in out:
                body = rec["raw"] if "raw" in rec else {k: v for k, v in rec.items() if k not in DLT_COLS}
                oid = body.get(key, body.get(key.lower()))
                sline, srec = src[oid]
                byte_eq += line == sline
                json_eq += body == srec
                nonull_eq += body == {k: v for k, v in srec.items() if v is not None}
                added |= set(rec) - set(srec); missing |= set(srec) - set(body)
                ts = ts or f"{srec['created_at' if 'created_at' in srec else 'CreatedDate']} -> " \
                            f"{body.get('created_at', body.get('CreatedDate', body.get('created_date')))}"
            row("2 " + label, f"{name}: rows, byte-eq, json-eq, json-eq if src nulls dropped | ts",
                f"{len(out)}/{len(src)}, {byte_eq}, {json_eq}, {nonull_eq} | {ts}")
            row("2 " + label, f"{name}: keys added | source keys missing", f"{sorted(added)[:7]}{'...' * (len(added) > 7)}"
                f" | {sorted(missing)[:5]}{'...' * (len(missing) > 5)}")
            if name == "Account" and label.startswith("A"):  # which output key holds each source key
                squash = lambda k: k.lower().replace("_", "")
                row("2 " + label, "Account: renames seen", ", ".join(f"{k}->{k2}" for k in ("Id", "Segment__c", "ARR__c",
                    "SystemModstamp", "White_Glove__c") for k2 in rec if squash(k2) == squash(k)))


# ---------------------------------------------------------------- 3. retry helper
def retry_experiment(company):
    E = "3 retry"
    row(E, "'sleep' parameter on Client / RESTClient", [("sleep" in inspect.signature(c).parameters) for c in (Client, RESTClient)])
    cases = [("429 Retry-After: 1 (real sleep)", {1: Fault(status=429, retry_after="1")}, False),
             ("429 Retry-After: 3", {1: Fault(status=429, retry_after="3")}, True),
             ("503, 503", {1: Fault(status=503), 2: Fault(status=503)}, True),
             ("drop mid-body", {1: Fault(drop=True)}, True),
             ("503 x 10 (gives up?)", {i: Fault(status=503) for i in range(1, 11)}, True)]
    for label, faults, fake in cases:
        with FakeApiServer(company, ServerConfig(page_size=50, faults=faults)) as srv:
            client = RESTClient(base_url=srv.url, headers=ZD, paginator=JSONLinkPaginator("links.next"), data_selector="users")
            slept, why, retrying = [], [], client.session.send.retry  # tenacity Retrying behind session.send
            retrying.before_sleep = lambda rs: why.append(  # what triggered each retry
                type(rs.outcome.exception()).__name__ if rs.outcome.failed else rs.outcome.result().status_code)
            if fake:  # inject the sleep: each call copies this Retrying, and copies inherit .sleep
                retrying.sleep = slept.append
            t = time.perf_counter()
            try:
                outcome = f"ok, {sum(len(p) for p in client.paginate('/api/v2/users.json', params={'page[size]': 50}))} users"
            except Exception as e:
                outcome = f"{type(e).__name__}: {str(e)[:40]}"
            row(E, label, f"{outcome}; requests={[s for *_, s in srv.requests]}; retried on {why}; "
                f"{'injected sleeps=' + str(slept) if fake else f'elapsed={time.perf_counter() - t:.2f}s'}")
    # plain dlt.sources.helpers.requests.Client (raise_for_status=True by default)
    with FakeApiServer(company, ServerConfig(faults={1: Fault(status=503), 2: Fault(drop=True)})) as srv:
        r = Client(request_backoff_factor=0.01).session.get(srv.url + "/api/v2/users.json", headers=ZD)
        row(E, "requests.Client(backoff 0.01): 503 then drop", f"status {r.status_code}; requests={[s for *_, s in srv.requests]}")


def main():
    company = ROOT / "company"
    generate_company(company, accounts=5, tickets=60, days=20, seed=3)
    with FakeApiServer(company, ServerConfig(page_size=7)) as srv:
        resume_experiment(srv)
        fidelity_experiment(srv, company)
    retry_experiment(company)
    row("-", "dlt version / wall time", f"{dlt.__version__} / {time.perf_counter() - T0:.1f}s")
    w = max(len(r[1]) for r in ROWS)
    print("\n".join(f"{exp:<22} | {what:<{w}} | {value}" for exp, what, value in ROWS))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(ROOT, ignore_errors=True)
