"""Names, topics and message templates of the sample company (plain data, no logic)."""

from __future__ import annotations

from dataclasses import dataclass

from expectations import domains

COMPANY_WORDS = (
    "Northwind", "Bluebird", "Brightline", "Cedar", "Copperleaf", "Driftwood", "Evergreen", "Foxglove",
    "Granite", "Harbor", "Ironwood", "Juniper", "Keystone", "Lakeside", "Maple", "Nimbus", "Oakridge",
    "Pinecrest", "Quarry", "Redwood", "Silverline", "Summit", "Tidewater", "Upland", "Vantage",
    "Westfield", "Yarrow", "Zephyr", "Atlas", "Beacon", "Crescent", "Delta", "Ember", "Falcon",
    "Glacier", "Horizon", "Indigo", "Jetstream", "Kestrel", "Lumen",
)
COMPANY_SUFFIXES = (
    "Analytics", "Logistics", "Health", "Foods", "Robotics", "Media", "Labs", "Energy", "Retail",
    "Systems", "Bank", "Travel", "Studios", "Freight", "Insurance",
)
INDUSTRIES = ("Technology", "Healthcare", "Retail", "Finance", "Manufacturing", "Media", "Logistics", "Education")
COUNTRIES = ("United States", "United States", "United States", "Canada", "United Kingdom", "Germany", "France", "Netherlands")

FIRST_NAMES = (
    "Ava", "Ben", "Chloe", "Daniel", "Elena", "Farid", "Grace", "Hiro", "Isla", "Jonas", "Keira", "Liam",
    "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rafael", "Sofia", "Tomas", "Uma", "Victor", "Wen",
    "Xavier", "Yara", "Zoe", "Amir", "Bianca", "Carlos", "Dana", "Emeka", "Fatima", "Gabriel", "Hana",
    "Ivan", "Julia", "Kofi", "Lena", "Marco", "Nadia", "Oscar", "Paula", "Ravi", "Sara", "Theo",
    "Valeria", "Will", "Yusuf", "Zara", "Aiko", "Bruno", "Clara", "Diego", "Eva", "Felix", "Greta",
    "Hugo", "Ines", "Jack", "Kim",
)
LAST_NAMES = (
    "Anderson", "Brown", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Johnson",
    "Kowalski", "Lopez", "Martin", "Nguyen", "Okafor", "Patel", "Quinlan", "Rossi", "Schmidt", "Tanaka",
    "Usman", "Varga", "Walsh", "Xu", "Young", "Zimmer", "Abbott", "Becker", "Costa", "Dubois", "Eriksen",
    "Ferreira", "Gupta", "Hansen", "Ibrahim", "Jensen", "Kaur", "Larsen", "Moreau", "Novak", "Olsen",
    "Perez", "Reyes", "Silva", "Torres", "Ueda", "Vogel", "Weber", "Yamada", "Zhang", "Bauer", "Cohen",
    "Dahl", "Engel", "Fox", "Gallo", "Holm", "Ivanova", "Jones", "Kim",
)

GROUPS = ("Tier 1 Support", "Tier 2 Support", "Billing Specialists", "Technical Specialists")
GROUP_SHARE = (0.40, 0.25, 0.15, 0.20)

# The domain lists are defined once, in the dbt project's seeds (dbt_project/seeds/): the
# generator writes the values the SQL and the quality suites accept.
SEGMENTS = tuple(domains.SEGMENTS)
PERSONAS = ("Admin", "Developer", "Executive", "End User")
PERSONA_CHANNELS = {
    "Admin": ("email", "chat"),
    "Developer": ("email", "web", "api"),
    "Executive": ("voice", "email"),
    "End User": ("chat", "web"),
}
CHANNELS = tuple(domains.CHANNELS)
CHANNEL_WEIGHTS = (0.40, 0.25, 0.18, 0.10, 0.07)  # in the seed's order: email, web, chat, voice, api

*STAGES, CHURNED = domains.LIFECYCLE_STAGES  # the living stages in order, then the end
STAGES = tuple(STAGES)
LOSS_REASONS = ("Poor support experience", "Price", "Missing feature", "Competitor")
LOSS_WEIGHTS = (0.35, 0.30, 0.20, 0.15)

JIRA_PROJECTS = {"PLAT": "Platform", "BILL": "Billing Engine", "MOB": "Mobile Apps"}


@dataclass(frozen=True)
class Topic:
    key: str
    weight: float
    ticket_type: str
    home_group: str
    specialist_group: str
    project: str | None
    escalation_rate: float
    subjects: tuple[str, ...]
    descriptions: tuple[str, ...]
    bug_summaries: tuple[str, ...]
    solutions: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "login", 1.4, "incident", "Tier 1 Support", "Technical Specialists", "PLAT", 0.25,
        ("Can't log in with SSO", "Login loop after password reset", "SAML error when signing in"),
        ("Since this morning nobody on my team can sign in through Okta. We get a SAML error page.",
         "I reset my password and now the login page keeps sending me back to the start.",
         "Several users see 'invalid assertion' when they try to log in with SSO."),
        ("SSO login fails for IdP-initiated SAML with custom domains", "Session cookie dropped after password reset"),
        ("I re-synced your identity provider metadata; please try signing in again.",
         "I cleared the stuck session on our side, you should be able to log in now."),
    ),
    Topic(
        "billing", 1.0, "question", "Billing Specialists", "Billing Specialists", "BILL", 0.12,
        ("We were charged twice this month", "Question about our plan upgrade", "Refund request"),
        ("Our card was charged twice for the same invoice. Can you check and refund the duplicate?",
         "We upgraded last week but the new seats are not reflected in our plan.",
         "We cancelled an add-on but are still being billed for it."),
        ("Duplicate charge when card retry overlaps with manual payment", "Proration wrong for mid-cycle seat upgrades"),
        ("I have refunded the duplicate charge; it will show on your statement in 3-5 days.",
         "I corrected the plan and credited the difference to your next invoice."),
    ),
    Topic(
        "invoice", 0.7, "task", "Tier 1 Support", "Billing Specialists", "BILL", 0.08,
        ("Please update our billing address", "Need a copy of last invoice", "VAT number missing on invoice"),
        ("Could you update the billing address on our account and reissue the invoice?",
         "Our finance team needs a PDF copy of last month's invoice.",
         "Our VAT number does not appear on the invoice, which we need for accounting."),
        ("Invoice PDF omits VAT number for EU customers",),
        ("Done, the updated invoice is attached.", "I have reissued the invoice with the correct details."),
    ),
    Topic(
        "api", 1.0, "incident", "Tier 1 Support", "Technical Specialists", "PLAT", 0.35,
        ("API returns 500 on bulk endpoint", "Webhooks stopped arriving", "Rate limit errors since yesterday"),
        ("Our nightly sync calls the bulk endpoint and it started returning 500 errors.",
         "We have not received any webhook deliveries since yesterday afternoon.",
         "We get 429 responses even though we stay well below the documented limits."),
        ("Bulk endpoint times out for payloads over 5 MB", "Webhook dispatcher stalls after queue failover",
         "Rate limiter counts retries twice"),
        ("The endpoint is healthy again after we restarted the worker pool.",
         "We replayed the missed webhooks; everything should be in sync now."),
    ),
    Topic(
        "mobile", 0.9, "incident", "Tier 1 Support", "Tier 2 Support", "MOB", 0.35,
        ("Mobile app crashes on startup", "Push notifications not working on Android", "App stuck on loading screen"),
        ("After the latest update the iOS app crashes as soon as I open it.",
         "None of our Android users receive push notifications anymore.",
         "The app shows the loading spinner forever on my phone."),
        ("iOS app crashes on launch when offline cache is corrupted", "Android push token not refreshed after update"),
        ("Reinstalling the app clears the corrupted cache; please try that.",
         "We refreshed your device registrations; notifications should arrive again."),
    ),
    Topic(
        "export", 0.8, "incident", "Tier 1 Support", "Tier 2 Support", "PLAT", 0.2,
        ("CSV export is missing rows", "Scheduled report did not arrive", "Export times out"),
        ("The CSV export only contains part of our data; about a third of the rows are missing.",
         "Our weekly scheduled report never arrived this Monday.",
         "Exporting the full dataset fails with a timeout every time."),
        ("CSV export truncates at 50k rows", "Scheduled reports skipped after DST change"),
        ("I re-ran the export on our side and sent you the complete file.",
         "I rescheduled the report and it was delivered a few minutes ago."),
    ),
    Topic(
        "integration", 0.8, "problem", "Tier 1 Support", "Technical Specialists", "PLAT", 0.3,
        ("Salesforce sync failing", "Slack integration disconnected", "Data not syncing with our CRM"),
        ("The Salesforce sync shows an error and no new records came through since Friday.",
         "Our Slack integration keeps disconnecting every few hours.",
         "Contacts created in our CRM do not show up in the product anymore."),
        ("CRM sync fails on records with unicode in custom fields", "Slack OAuth token refresh race"),
        ("I reconnected the integration and triggered a full resync.",
         "Re-authorising the integration fixed it; the backlog has synced."),
    ),
    Topic(
        "how_to", 1.5, "question", "Tier 1 Support", "Tier 2 Support", None, 0.0,
        ("How do I add a new user?", "How to set up custom roles", "Where can I change notification settings?"),
        ("We hired two people, how do I give them access?",
         "Is it possible to create a role that can view reports but not edit them?",
         "I get too many emails; where do I change which notifications I receive?"),
        (),
        ("You can do this under Settings > Users > Invite; here is a short guide.",
         "Custom roles are under Settings > Permissions; I linked the article with the steps."),
    ),
    Topic(
        "performance", 0.7, "incident", "Tier 1 Support", "Technical Specialists", "PLAT", 0.3,
        ("Dashboard very slow", "Pages take a minute to load", "Search is timing out"),
        ("Our main dashboard takes more than a minute to load since the weekend.",
         "Everything is very slow today, my team can barely work.",
         "Searching for customers times out for anything but exact matches."),
        ("Dashboard query plan regression on large workspaces", "Search index rebuild stuck on shard 3"),
        ("We rebuilt the cache for your workspace and load times are back to normal.",
         "The slow query was fixed by an index change on our side."),
    ),
    Topic(
        "notifications", 0.6, "incident", "Tier 1 Support", "Tier 2 Support", "MOB", 0.2,
        ("Not receiving email notifications", "Duplicate notifications", "Digest email empty"),
        ("I stopped getting email notifications for new assignments.",
         "Every notification arrives two or three times.",
         "The daily digest email arrives but it is empty."),
        ("Notification fan-out sends duplicates on retry",),
        ("Your address was on a bounce list; I removed it and notifications flow again.",
         "I fixed the duplicate subscription on your profile."),
    ),
)

AGENT_FIRST_REPLY = (
    "Thanks for reaching out! I'm looking into this now and will update you shortly.",
    "Hi, thanks for the report. I can see the problem on our side and I'm investigating.",
    "Thanks for the details. I'm checking this with the logs for your account.",
)
AGENT_ASK = (
    "Could you send a screenshot and the approximate time this happened?",
    "Can you tell me which browser and version you are using?",
    "Could you share the request ID from the error message so I can trace it?",
    "Does this happen for all users or only some of them?",
)
AGENT_UPDATE = (
    "Quick update: I have reproduced the issue and I'm working on a fix.",
    "I'm still investigating; I'll get back to you as soon as I know more.",
    "Thanks for your patience, I'm narrowing it down.",
)
AGENT_NOTES = (
    "Checked logs: errors started after the last deploy for this workspace.",
    "Reproduced on staging with the customer's settings.",
    "Customer is on an older client version; asked for details.",
    "Nothing in the error tracker yet, checking the audit log.",
)
HANDOFF_NOTES = (
    "Handing over: {summary}. Reproduced, logs attached, customer already sent screenshots. Next step: check config.",
    "Passing to {group}. Context: {summary}. Tried the usual fixes, no luck. Customer prefers email.",
    "For the next owner: {summary}. I confirmed the account settings; it looks like a backend issue.",
)
PUBLIC_TRANSFER = (
    "I'm passing your request to our {group} team, who can help with this.",
    "A specialist colleague will take over from here.",
)
ESCALATION_NOTES = (
    "Escalated to engineering: {key} {summary}.",
    "Linked to known issue {key} ({summary}); engineering is on it.",
)
ESCALATION_PUBLIC = (
    "I've escalated this to our engineering team and will keep you posted.",
    "Our engineers are looking into this; I'll update you as soon as there is a fix.",
)
ALREADY_FIXED = (
    "This was a known issue ({key}) and a fix has already been released. Could you reload and try again?",
    "Good news: the fix for this ({key}) is already live. Please update to the latest version.",
)
STILL_WAITING = (
    "Engineering is still working on it; I'll let you know the moment the fix ships.",
    "No news yet from engineering, but it is prioritised. Thanks for bearing with us.",
)
CLOSE_THE_LOOP = (
    "Our engineering team has released a fix for {key}. Could you confirm it works for you now?",
    "The fix for this issue ({key}) is now live. Everything should work again.",
)
WORKAROUND = (
    "Engineering is still working on {key}; in the meantime the workaround I sent should keep you going. "
    "I'll solve this ticket and we'll follow up when the fix ships.",
)
NO_RESPONSE_SOLVE = (
    "We haven't heard back, so I'm marking this as solved. Just reply to reopen it anytime.",
)
MERGE_NOTE = 'Request #{source} "{subject}" was closed and merged into request #{target}.'
PRIORITY_NOTE = "Raising priority: customer reports the whole team is blocked."

CUSTOMER_NEUTRAL = (
    "Here is the screenshot you asked for.",
    "We use Chrome on Windows, latest version.",
    "It happens for everyone in the finance team.",
    "The request ID is in the attached file.",
    "Any update on this?",
)
CUSTOMER_NEGATIVE = (
    "This is really frustrating, my whole team is blocked and we are losing time.",
    "I already explained this twice. Why do I have to repeat everything?",
    "Still not working. This is unacceptable for a paid product.",
    "We have been waiting for days with no real answer. Very disappointed.",
)
CUSTOMER_POSITIVE = (
    "Thank you so much, that fixed it! Great support.",
    "Works perfectly now, thanks for the quick help!",
    "Awesome, really appreciate the help.",
)
CUSTOMER_REOPEN = (
    "Unfortunately the problem is back again today.",
    "It worked for a day but now it is broken again. Frustrating.",
    "Sorry, this is still not solved for our other users.",
)
RATING_GOOD = ("Quick and helpful, thanks!", "Great support as always.", None, "Solved my problem.")
RATING_BAD = (
    "Took far too long and I had to explain the problem three times.",
    "Nobody seemed to own my issue.",
    "Problem was closed without being fixed.",
    None,
)
NPS_COMMENTS = {
    "promoter": ("Love the product and the support team.", "Saves us hours every week.", None),
    "passive": ("Good product, some rough edges.", "Does the job.", None),
    "detractor": ("Support is slow and we keep getting bounced around.", "Too many bugs lately.",
                  "Too expensive for what we use.", None),
}
