"""Telling people when a headline metric moves (docs/alerts.md): after a publication, the weekly
one-pager's significant moves go out once through the configured channels (a webhook, e-mail)."""
