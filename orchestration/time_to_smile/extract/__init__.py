"""Live API extraction (sources.md "Live APIs") into the file-drop layout.

    from time_to_smile.extract import ExtractConfig, default_state_path, extract_all
    result = extract_all(source_dir, default_state_path(home), ExtractConfig.from_env(), progress=print)
    # result.collections["zendesk_tickets"].records, .requests, ...

`engine` holds the durability protocol, `requested` the resumable dlt paging,
`http` the client (dlt's REST client and retry conditions), and `zendesk`,
`jira`, `salesforce` the endpoints (docs/extract.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from . import jira, salesforce, zendesk
from .config import ExtractConfig
from .engine import CollectionResult, ExtractResult, Vendor, run_extract
from .errors import ExtractError, MissingCredentialError, VendorError

__all__ = ["CollectionResult", "ExtractConfig", "ExtractError", "ExtractResult", "MissingCredentialError",
           "VendorError", "default_state_path", "extract_all"]

VENDORS: dict[str, Callable[[ExtractConfig], Vendor]] = {
    "zendesk": zendesk.vendor, "jira": jira.vendor, "salesforce": salesforce.vendor,
}


def extract_all(target_dir: Path, state_path: Path, config: ExtractConfig,
                progress: Callable[[str], None] | None = None) -> ExtractResult:
    """Check every configured system's credentials, then pull its collections into target_dir
    (resuming an unfinished extract first). Raises ExtractError with a one-line reason."""
    say = progress or (lambda message: None)
    unknown = [system for system in config.systems if system not in VENDORS]
    if unknown:
        raise ExtractError(f"unknown system(s) {', '.join(unknown)}: choose from {', '.join(VENDORS)}")
    vendors = [VENDORS[system](config) for system in config.systems]
    for system, vendor in zip(config.systems, vendors):
        vendor.check()  # a wrong credential fails here, before any collection is pulled
        say(f"{system}: credentials accepted")
    return run_extract(Path(target_dir), Path(state_path), vendors, config, say)


def default_state_path(home: Path) -> Path:
    """Where the cursors live by default: `<SMILE_HOME>/extract_state.json`."""
    return Path(home) / "extract_state.json"
