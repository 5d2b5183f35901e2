"""The registry: every suite, from the suite modules (one per guarded table).

The modules build their suites from `core` (what a suite is, the shared helpers) and
`domains` (the lists the dbt seeds define); this module only collects them, so the imports
run one way.
"""

from __future__ import annotations

from . import marts_accounts, marts_cases, marts_metrics, raw_jira, raw_salesforce, raw_zendesk
from .core import Suite

MODULES = (raw_zendesk, raw_jira, raw_salesforce, marts_cases, marts_accounts, marts_metrics)


def all_suites() -> tuple[Suite, ...]:
    return tuple(suite for module in MODULES for suite in module.SUITES)
