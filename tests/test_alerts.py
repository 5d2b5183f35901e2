"""Significant moves told to people (issue 24, docs/alerts.md): after a publication, the weekly
one-pager's moves go once to a Slack-compatible webhook and by e-mail.

Real parts: the loopback webhook behaves as Slack documents incoming webhooks
(tests/vendor_apis/slack_webhook.py, with the pages it follows), the e-mail goes to a real SMTP
server on loopback (aiosmtpd), and the pipeline runs are real `smile run`s.

The generated company (300 tickets, seed 23) as of 2027-01-11, weeks after its data ends,
publishes one significant move: first contact resolution in the week of 9 Nov 2026 against
the week before. The hand-made company's one week has no week before it, so no move.
"""

from __future__ import annotations

import json
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import free_port, query, run_smile
from tests.fixtures import handmade_company
from tests.vendor_apis.slack_webhook import SlackWebhook
from time_to_smile.alerts.message import Message
from time_to_smile.alerts.send import AlertNotSent, post_to_webhook, send_email
from time_to_smile.alerts.settings import AlertSettings, AlertSettingsError, SmtpSettings
from time_to_smile.generator import generate_company

AS_OF, NEXT_DAY, DAY_AFTER = "2027-01-11 00:00:00", "2027-01-12 00:00:00", "2027-01-13 00:00:00"
APP_URL = "http://smile.example.test:8501"


class Inbox:
    """aiosmtpd's handler: keeps each message it is handed."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def smtp_server():
    inbox = Inbox()
    inbox.port = free_port()  # aiosmtpd's start() connects to its own port, so it cannot be 0
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture()
def webhook():
    with SlackWebhook() as hook:
        yield hook


MESSAGE = Message(subject="Time to Smile: 1 headline metric moved", text="CSAT: 80% <was 70%> & more")


# ---------------------------------------------------------------- the webhook, as Slack documents it

def test_the_webhook_takes_a_json_text_with_slacks_escapes(webhook):
    post_to_webhook(webhook.url, MESSAGE)
    assert webhook.posted == ["CSAT: 80% &lt;was 70%&gt; &amp; more"]
    (path, content_type, body), = webhook.requests
    assert content_type == "application/json" and json.loads(body) == {"text": webhook.posted[0]}


def test_a_rate_limited_post_waits_what_retry_after_says_then_goes_once(webhook):
    waits: list[float] = []
    webhook.answer(429, "rate_limited", retry_after=7)
    post_to_webhook(webhook.url, MESSAGE, sleep=waits.append)
    assert waits == [7.0] and len(webhook.requests) == 2 and len(webhook.posted) == 1


def test_a_refusal_is_not_retried_and_says_what_slack_said(webhook):
    webhook.answer(410, "channel_is_archived")
    with pytest.raises(AlertNotSent, match="HTTP 410: channel_is_archived"):
        post_to_webhook(webhook.url, MESSAGE, sleep=lambda s: None)
    assert len(webhook.requests) == 1 and not webhook.posted


def test_a_server_error_is_tried_four_times_backing_off(webhook):
    waits: list[float] = []
    for _ in range(4):
        webhook.answer(500, "rollup_error")
    with pytest.raises(AlertNotSent, match=r"HTTP 500: rollup_error \(after 4 attempts\)"):
        post_to_webhook(webhook.url, MESSAGE, sleep=waits.append)
    assert waits == [2.0, 4.0, 8.0] and len(webhook.requests) == 4


def test_an_unreachable_webhook_is_named():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(AlertNotSent, match="could not reach it"):
        post_to_webhook(f"http://127.0.0.1:{port}/hook", MESSAGE, sleep=lambda s: None)


# ---------------------------------------------------------------- e-mail and settings

def test_an_email_goes_through_smtp_to_every_recipient(smtp_server):
    before = len(smtp_server.messages)
    smtp = SmtpSettings(host="127.0.0.1", port=smtp_server.port, security="none", user=None, password=None,
                        sender="smile@example.test", recipients=("lead@example.test", "cx@example.test"))
    send_email(smtp, MESSAGE)
    (sender, recipients, content), = smtp_server.messages[before:]
    email = message_from_bytes(content, policy=policy.default)
    assert sender == "smile@example.test" and recipients == ["lead@example.test", "cx@example.test"]
    assert email["Subject"] == MESSAGE.subject and email.get_content().strip() == MESSAGE.text


def test_alerts_are_off_unless_configured_and_half_a_configuration_is_named():
    assert AlertSettings.from_environment({}).channels == []
    both = AlertSettings.from_environment({"SMILE_ALERT_WEBHOOK_URL": "https://hooks.example.test/x",
                                           "SMILE_ALERT_SMTP_HOST": "mail.example.test",
                                           "SMILE_ALERT_EMAIL_FROM": "a@example.test", "SMILE_ALERT_EMAIL_TO": "b@example.test"})
    assert both.channels == ["webhook", "email"] and (both.smtp.port, both.smtp.security) == (587, "starttls")
    with pytest.raises(AlertSettingsError, match="need SMILE_ALERT_EMAIL_TO"):
        AlertSettings.from_environment({"SMILE_ALERT_SMTP_HOST": "mail.example.test", "SMILE_ALERT_EMAIL_FROM": "a@x.test"})
    with pytest.raises(AlertSettingsError, match="without SMILE_ALERT_SMTP_HOST"):
        AlertSettings.from_environment({"SMILE_ALERT_EMAIL_TO": "b@example.test"})
    with pytest.raises(AlertSettingsError, match="must be an http"):
        AlertSettings.from_environment({"SMILE_ALERT_WEBHOOK_URL": "hooks.example.test"})


# ---------------------------------------------------------------- after real publications

def alert_environment(env: pytest.MonkeyPatch, hook: SlackWebhook, smtp_server: Inbox) -> None:
    env.setenv("SMILE_ALERT_WEBHOOK_URL", hook.url)
    env.setenv("SMILE_ALERT_SMTP_HOST", "127.0.0.1")
    env.setenv("SMILE_ALERT_SMTP_PORT", str(smtp_server.port))
    env.setenv("SMILE_ALERT_SMTP_SECURITY", "none")
    env.setenv("SMILE_ALERT_EMAIL_FROM", "smile@example.test")
    env.setenv("SMILE_ALERT_EMAIL_TO", "lead@example.test")
    env.setenv("SMILE_APP_URL", APP_URL)


@pytest.fixture(scope="module")
def published(tmp_path_factory, smtp_server):
    """Three runs of the generated company, all in the same one-pager week, alerts on:
    1. the webhook answers 410 channel_is_archived; the e-mail goes;
    2. the next day, the webhook works again;
    3. the day after.
    What each channel received after each run, and each run's summary."""
    root = tmp_path_factory.mktemp("alerts")
    sources, home = root / "sources", root / "home"
    generate_company(sources, tickets=300, accounts=30, seed=23)
    runs = []
    with SlackWebhook() as hook, pytest.MonkeyPatch.context() as env:
        alert_environment(env, hook, smtp_server)
        for step, as_of in enumerate((AS_OF, NEXT_DAY, DAY_AFTER)):
            if step == 0:
                hook.answer(410, "channel_is_archived")
            posted, mailed, requests = len(hook.posted), len(smtp_server.messages), len(hook.requests)
            summary = run_smile(home, sources, as_of=as_of)
            runs.append({"summary": summary, "posted": hook.posted[posted:], "requests": len(hook.requests) - requests,
                         "mailed": smtp_server.messages[mailed:]})
    return {"home": home, "runs": runs}


def summary_row(serving, metric: str) -> dict:
    columns = ["value", "ci_lower", "ci_upper", "n", "last_week_value", "last_week_ci_lower", "last_week_ci_upper",
               "last_week_n", "week_start"]
    row, = query(serving, f"select {', '.join(columns)} from marts.metric_weekly_summary where metric = ?", [metric])
    return dict(zip(columns, row))


def test_the_move_is_published_and_mailed_once(published):
    first = published["runs"][0]
    assert first["summary"].published, first["summary"].lines()
    moved = query(published["home"] / "serving.duckdb",
                  "select metric from marts.metric_weekly_summary where is_significant_move")
    assert moved == [("first_contact_resolution_rate",)]
    (sender, recipients, content), = first["mailed"]
    email = message_from_bytes(content, policy=policy.default)
    assert email["Subject"] == "Time to Smile: 1 headline metric moved in the week of 09 Nov 2026"
    row = summary_row(published["home"] / "serving.duckdb", "first_contact_resolution_rate")
    # first contact resolution rose, and a higher rate is better: by hand from the published row,
    # as fractions written in whole percent (metric_formats.formatted)
    assert row["value"] > row["last_week_value"]
    body = email.get_content()
    expected = (f"- First contact resolution: {row['value']:.0%} (90% interval {row['ci_lower']:.0%} to "
                f"{row['ci_upper']:.0%}, n = {row['n']} cases), against {row['last_week_value']:.0%} (90% interval "
                f"{row['last_week_ci_lower']:.0%} to {row['last_week_ci_upper']:.0%}, n = {row['last_week_n']} cases) "
                "the week before: better.")
    assert expected in body
    assert f"{APP_URL}/one_pager" in body


def test_a_channel_that_fails_fails_its_step_but_not_the_publication(published):
    first = published["runs"][0]["summary"]
    assert published["runs"][0]["requests"] == 1 and not published["runs"][0]["posted"], "a 410 is not retried"
    assert first.published
    assert first.failed_steps == ["serving__significant_move_alerts"]
    assert "HTTP 410: channel_is_archived" in first.failure_reasons["serving__significant_move_alerts"]


def test_the_channel_that_failed_is_told_by_the_next_run_and_only_it(published):
    second = published["runs"][1]
    assert second["summary"].published and not second["summary"].failed_steps, second["summary"].lines()
    text, = second["posted"]
    assert text.startswith("Time to Smile: 1 headline metric moved in the week of 09 Nov 2026")
    assert "First contact resolution" in text and f"{APP_URL}/one_pager" in text
    assert second["mailed"] == [], "e-mail told this move already"


def test_a_publication_with_nothing_new_to_tell_sends_nothing(published):
    third = published["runs"][2]
    assert third["summary"].published and not third["summary"].failed_steps
    assert third["posted"] == [] and third["mailed"] == [] and third["requests"] == 0
    ledger = [json.loads(line) for line in (published["home"] / "alerts_sent.jsonl").read_text().splitlines()]
    assert [entry["channel"] for entry in ledger] == ["email", "webhook"]
    assert all(entry["moves"] == ["first_contact_resolution_rate|2026-11-09|better"] for entry in ledger)


def test_a_publication_without_a_move_sends_none(tmp_path, smtp_server):
    sources = handmade_company.write(tmp_path / "sources")
    with SlackWebhook() as hook, pytest.MonkeyPatch.context() as env:
        alert_environment(env, hook, smtp_server)
        mailed = len(smtp_server.messages)
        summary = run_smile(tmp_path / "home", sources, as_of=handmade_company.AS_OF)
        assert summary.published and not summary.failed_steps, summary.lines()
        assert hook.requests == [] and smtp_server.messages[mailed:] == []
    assert query(tmp_path / "home" / "serving.duckdb",
                 "select count(*) from marts.metric_weekly_summary where is_significant_move") == [(0,)]
