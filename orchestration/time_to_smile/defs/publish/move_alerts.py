"""The alerts asset: after each publication, the one-pager's significant moves go to the
configured channels, once each (alerts/, docs/alerts.md)."""

import dagster as dg

from ...alerts.settings import AlertSettings, AlertSettingsError
from ...alerts.tell import tell_moves
from ..resources import SmileSettings

ALERTS_KEY = dg.AssetKey(["serving", "significant_move_alerts"])


class AlertsFailed(Exception):
    """A configured channel did not take the alert (the publication itself stands)."""


@dg.asset(
    key=ALERTS_KEY,
    deps=[dg.AssetKey(["serving", "publication"])],
    group_name="serving",
    kinds={"python"},
    description=(
        "After a publication: each headline metric the weekly one-pager marks as moved beyond the noise "
        "(`is_significant_move`) is told once per channel (a Slack-compatible webhook, e-mail) with both weeks' "
        "values, intervals and n and a link to the one-pager. Off unless SMILE_ALERT_WEBHOOK_URL or "
        "SMILE_ALERT_SMTP_HOST is set; `$SMILE_HOME/alerts_sent.jsonl` keeps what was sent (docs/alerts.md)."
    ),
)
def significant_move_alerts(context: dg.AssetExecutionContext, smile: SmileSettings) -> dg.MaterializeResult:
    paths = smile.paths()
    try:
        settings = AlertSettings.from_environment()
    except AlertSettingsError as error:
        raise AlertsFailed(f"alerts are misconfigured: {error}") from None
    outcome = tell_moves(paths.home, paths.serving, settings, context.log.info)
    if outcome.failed:
        # the step fails so the run says so; the moves stay untold, so the next run tries again
        raise AlertsFailed("; ".join(outcome.failed.values()))
    context.log.info(f"alerts: {outcome.summary()}")
    return dg.MaterializeResult(metadata={"alerts": outcome.summary(), "configured": outcome.configured,
                                          "significant_moves": outcome.moves, **{f"sent/{c}": n for c, n in outcome.sent.items()}})
