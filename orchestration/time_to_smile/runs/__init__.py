"""A pipeline run as `smile run` starts it, and the record each run leaves (run_history.jsonl)."""
