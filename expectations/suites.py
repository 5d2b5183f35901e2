"""The registry: every suite, from the suite modules (one per guarded table).

The modules build their suites from `core` (what a suite is, the shared helpers) and
`domains` (the lists the dbt seeds define); this module only collects them, so the imports
run one way. `Suite` and the helpers are re-exported for callers that import them from here.
"""

from __future__ import annotations

from . import marts_accounts, marts_cases, marts_metrics, raw_jira, raw_salesforce, raw_zendesk
from .core import (  # noqa: F401 (re-exported)
    INTEGER, NUMBER, TEXT, TIMESTAMP, Suite, at_least, between, is_true, json_kind, known, no_sudden_shrink, number,
    one_of, published, raw_frame, required, text, unique,
)
from .domains import CHANNELS, LIFECYCLE_STAGES, PHASES, SEGMENTS  # noqa: F401 (re-exported)

MODULES = (raw_zendesk, raw_jira, raw_salesforce, marts_cases, marts_accounts, marts_metrics)


def all_suites() -> tuple[Suite, ...]:
    return tuple(suite for module in MODULES for suite in module.SUITES)
