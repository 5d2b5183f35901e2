"""The generated company behaves like a support organisation (issue 4): in the published
marts, cases with more handoffs take longer to smile and are rated bad more often, and the
accounts that churned had worse experiences. Fixed seed, real pipeline."""

from __future__ import annotations

import pytest

from tests.conftest import query, run_smile
from time_to_smile.generator import generate_company


@pytest.fixture(scope="module")
def serving(tmp_path_factory):
    root = tmp_path_factory.mktemp("realism")
    generate_company(root / "sources", accounts=120, tickets=1500, days=120, seed=11)
    summary = run_smile(root / "home", root / "sources", as_of="2026-11-16 00:00:00")
    assert summary.published, summary.lines()
    return root / "home" / "serving.duckdb"


def test_more_handoffs_longer_time_to_smile_and_worse_ratings(serving):
    rows = query(serving, """
        select least(handoff_count, 2) as handoffs,
               median(time_to_smile_hours) as median_tts,
               avg(case when smile_status = 'frowning' then 1.0 else 0.0 end) as rated_bad
        from marts.fct_case_journey
        where smile_status <> 'open'
        group by 1 order by 1""")
    assert [h for h, _, _ in rows] == [0, 1, 2]
    medians = [m for _, m, _ in rows]
    bad_shares = [b for _, _, b in rows]
    assert medians == sorted(medians) and medians[0] < medians[2]
    assert bad_shares == sorted(bad_shares) and bad_shares[0] < bad_shares[2]


def test_churned_accounts_had_worse_experiences(serving):
    rows = dict((churned, (accounts, median_elapsed, handoffs, rated_bad)) for churned, accounts, median_elapsed, handoffs, rated_bad in query(serving, """
        select health.has_churned, count(distinct health.account_id), median(journeys.elapsed_hours),
               avg(journeys.handoff_count), avg(case when journeys.smile_status = 'frowning' then 1.0 else 0.0 end)
        from marts.fct_account_health as health
        join marts.fct_case_journey as journeys using (account_id)
        group by 1"""))
    churned, retained = rows[True], rows[False]
    assert churned[0] >= 5  # enough churned accounts for the comparison to mean something
    assert churned[1] > retained[1]  # they waited longer
    assert churned[2] > retained[2]  # were handed off more
    assert churned[3] > retained[3]  # and rated more cases bad
