"""Live API extraction (sources.md "Live APIs") into the file-drop layout.

    from time_to_smile.extract import ExtractConfig, extract_all
    counts = extract_all(target_dir, state_path, ExtractConfig.from_env(), progress=print)

See `client` for the durability protocol, `zendesk`, `jira`, `salesforce` for
the endpoints, `server` for the loopback stand-in used by the tests, and
docs/extract.md.
"""

from .client import ExtractConfig, ExtractError, MissingCredentialError, extract_all

__all__ = ["ExtractConfig", "ExtractError", "MissingCredentialError", "extract_all"]
