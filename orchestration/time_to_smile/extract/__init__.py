"""Live API extraction (sources.md "Live APIs") into the file-drop layout.

    from time_to_smile.extract import ExtractConfig, default_state_path, extract_all
    counts = extract_all(source_dir, default_state_path(home), ExtractConfig.from_env(), progress=print)
    # -> {"zendesk_tickets": 60, ...}: records written per raw table by this call

See `client` for the durability protocol, `zendesk`, `jira`, `salesforce` for
the endpoints, `server` for the loopback stand-in used by the tests, and
docs/extract.md.
"""

from .client import ExtractConfig, ExtractError, MissingCredentialError, default_state_path, extract_all

__all__ = ["ExtractConfig", "ExtractError", "MissingCredentialError", "default_state_path", "extract_all"]
