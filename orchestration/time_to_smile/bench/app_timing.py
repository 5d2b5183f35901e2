"""How long each page of the app takes to render on a publication, cold and warm.

Each page's script runs in Streamlit's AppTest harness (the same script run a browser
click triggers, without the network and the browser's drawing): once with an empty query
cache (cold: every query goes to DuckDB) and once more (warm: what a reader sees on a
rerun, a revisit or another reader's visit until the next publication). Run it as
``python -m time_to_smile.bench.app_timing --home DIR``; the benchmark reuses ``time_pages``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from time_to_smile.settings import PROJECT_ROOT

APP_FILE = PROJECT_ROOT / "streamlit_app" / "streamlit_app.py"
#: The app's pages (streamlit_app/app_pages/), in the navigation's order.
PAGES = ("overview", "where_the_time_goes", "handoffs", "lifecycle", "voice", "retention", "engineering", "one_pager")


def _timed_run(at) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"a page failed: {at.exception[0].message}")
    return elapsed


def time_pages(home: Path) -> dict[str, dict[str, float]]:
    """Seconds to render each page on ``home``'s publication: {page: {"cold": s, "warm": s}}."""
    import streamlit as st  # noqa: PLC0415 (Streamlit is heavy: imported only to time the app)
    from streamlit import logger as streamlit_logger  # noqa: PLC0415
    from streamlit.testing.v1 import AppTest  # noqa: PLC0415

    os.environ["SMILE_HOME"] = str(home)
    # outside a server Streamlit warns on every cache call that it has no script context: expected here
    streamlit_logger.set_log_level("error")
    _timed_run(AppTest.from_file(str(APP_FILE), default_timeout=600))  # imports, outside the figures
    timings = {}
    for page in PAGES:
        at = AppTest.from_file(str(APP_FILE), default_timeout=600)
        at.switch_page(f"app_pages/{page}.py")  # found by file name: the pages keep their default URL paths
        st.cache_data.clear()
        cold = _timed_run(at)
        timings[page] = {"cold": round(cold, 3), "warm": round(_timed_run(at), 3)}
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="a home directory holding serving.duckdb")
    args = parser.parse_args()
    print(json.dumps(time_pages(args.home), indent=2))


if __name__ == "__main__":
    main()
