"""What `smile run` shows a person, and what it keeps for the operator.

Dagster's warnings and dbt's node-by-node output (both written straight to the
process's stdout and stderr, dbt's by a subprocess) belong in a log file, not
on a person's terminal: while a run executes, this process's file descriptors 1
and 2 point at `$SMILE_HOME/logs/run-<time>.log`, and only the run's own
progress lines reach the terminal.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator


def run_log_path(home: Path) -> Path:
    return home / "logs" / f"run-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}.log"


@contextmanager
def output_to(log_path: Path) -> Iterator[Callable[[str], None]]:
    """Send this process's (and its children's) stdout and stderr to log_path; yield a function
    that still writes a line to the terminal. Restored on the way out, whatever happened."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    terminal = os.fdopen(os.dup(saved_out), "w", buffering=1)
    try:
        with open(log_path, "ab") as log:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)

            def say(message: str) -> None:
                terminal.write(message + "\n")
                terminal.flush()

            yield say
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved_out, 1)
        os.dup2(saved_err, 2)
        os.close(saved_out)
        os.close(saved_err)
        terminal.close()
