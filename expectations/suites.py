"""The registry of suites: which table each guards, and whether a failure blocks publication."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from . import fct_case_journey, fct_case_phases


@dataclass(frozen=True)
class Suite:
    name: str
    module: ModuleType
    blocking: bool

    @property
    def table(self) -> str:
        return self.module.TABLE


SUITES: tuple[Suite, ...] = (
    Suite("fct_case_journey", fct_case_journey, blocking=True),
    Suite("fct_case_phases", fct_case_phases, blocking=True),
)
