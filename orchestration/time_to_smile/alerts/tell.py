"""After a publication: send each configured channel the moves it has not been told yet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import ledger
from .message import compose
from .moves import published_moves
from .send import AlertNotSent, post_to_webhook, send_email
from .settings import AlertSettings


@dataclass
class AlertOutcome:
    configured: bool
    moves: int = 0  # significant moves in the publication
    sent: dict[str, int] = field(default_factory=dict)  # channel -> moves told now
    failed: dict[str, str] = field(default_factory=dict)  # channel -> why not

    def summary(self) -> str:
        if not self.configured:
            return "off (no SMILE_ALERT_WEBHOOK_URL or SMILE_ALERT_SMTP_HOST: docs/alerts.md)"
        if not self.moves:
            return "no significant move to tell"
        told = [f"{channel}: {n} move(s)" for channel, n in self.sent.items() if n]
        failed = [f"{channel} failed" for channel in self.failed]
        return "; ".join(told + failed) or f"{self.moves} move(s), already told on every channel"


def tell_moves(home: Path, serving: Path, settings: AlertSettings, log: Callable[[str], None]) -> AlertOutcome:
    """Send the publication's untold moves to every configured channel; a channel that fails is
    named in the outcome and tried again by the next run (its moves stay untold)."""
    outcome = AlertOutcome(configured=bool(settings.channels))
    if not outcome.configured:
        return outcome
    published = published_moves(serving)
    outcome.moves = len(published.moves)
    senders = {"webhook": lambda message: post_to_webhook(settings.webhook_url, message),
               "email": lambda message: send_email(settings.smtp, message)}
    for channel in settings.channels:
        already = ledger.told(home, channel)
        untold = [move for move in published.moves if move.key not in already]
        outcome.sent[channel] = 0
        if not untold:
            continue
        try:
            senders[channel](compose(untold, settings.app_url))
        except AlertNotSent as error:
            outcome.failed[channel] = str(error)
            continue
        ledger.record_sent(home, channel, published.run_id, untold)
        outcome.sent[channel] = len(untold)
        log(f"{channel}: told {len(untold)} significant move(s) of the week of {untold[0].week_start}")
    return outcome
