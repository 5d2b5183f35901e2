"""The adjusted effect of each experience driver on what followed (issue 24, item 2): for each
outcome (renewal lost, NPS detractor), a logistic regression of the outcome on the four drivers
together, read over the 180 days before it (intermediate.int_experience_before_outcomes),
each driver standardized so its odds ratio is per standard deviation, adjusted for the other
three. statsmodels fits it (maximum likelihood, Wald 90% intervals). A fifth row per outcome,
ALL_FOUR, is the odds ratio of an experience one standard deviation worse on all four drivers at
once (the sum of their coefficients, its interval from their covariance): the drivers move
together (a hard account has more handoffs, longer waits, more frowns), so one driver's
adjusted effect can land on either side of 1 while the whole experience's does not.

An outcome's model is fitted only with enough of both answers: at least EVENTS_PER_DRIVER
outcomes and as many non-outcomes per driver in the model (Vittinghoff & McCulloch, 2007,
found 5 to 9 events per variable adequate for such models' intervals); otherwise, or when the
fit does not converge or separates the outcomes perfectly, its rows say why and carry no
estimate. An outcome event whose median Time to Smile was not reached, or with no solved case
for the frowning share, has no value to regress on and is left out of the model (the quartile
mart counts it). An association across accounts, not a cause (docs/decisions.md).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

DRIVERS = ("median_time_to_smile_hours", "handoffs_without_context_per_case", "reopen_rate", "frowning_share")
ALL_FOUR = "all_four_together"
OUTCOMES = ("renewal_lost", "nps_detractor")
EVENTS_PER_DRIVER = 5
CONFIDENCE = 0.90
METHOD = "logistic regression on the four drivers together, each per standard deviation"

#: The published mart's columns: name -> (DuckDB type, what it holds). Analysts read these in the
#: Dagster UI (the asset's column schema) and README; dbt's docs describe the dbt-built marts.
COLUMNS = {
    "outcome": ("varchar", "renewal_lost (a renewal closed lost: the account churned) or nps_detractor (a response of 0-6)."),
    "driver": ("varchar", "median_time_to_smile_hours, handoffs_without_context_per_case, reopen_rate, frowning_share, "
                          "or all_four_together (one standard deviation worse on all four at once)."),
    "odds_ratio_per_sd": ("double", "How the odds of the outcome change with one standard deviation more of the driver, "
                                    "the other three held fixed; null when not estimated (see note)."),
    "ci_lower": ("double", "Wald 90% interval of the odds ratio, lower bound."),
    "ci_upper": ("double", "Wald 90% interval of the odds ratio, upper bound."),
    "p_value": ("double", "Two-sided p-value of the driver's coefficient (of their sum for all_four_together)."),
    "driver_sd": ("double", "The driver's standard deviation across the outcome's events in the model: what one unit "
                            "of the odds ratio is, in the driver's own unit."),
    "n": ("bigint", "Outcome events in the model: with a case in the window and every driver measured."),
    "outcomes": ("bigint", "Of those, events with the outcome."),
    "method": ("varchar", "How the estimate was made."),
    "note": ("varchar", "Why there is no estimate (too few to fit, not estimable, a driver without variation); null otherwise."),
}


def fit_effects(events: pd.DataFrame) -> pd.DataFrame:
    """One row per outcome and driver (COLUMNS), from int_experience_before_outcomes' rows."""
    rows = []
    for outcome in OUTCOMES:
        rows += _fit_outcome(outcome, events[events["outcome"] == outcome])
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _fit_outcome(outcome: str, events: pd.DataFrame) -> list[dict]:
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    usable = events[events["cases"] > 0].dropna(subset=list(DRIVERS)).sort_values("outcome_event_id")
    y = usable["has_outcome"].astype(float).to_numpy()
    n, outcomes = len(usable), int(y.sum())
    sd = usable[list(DRIVERS)].std(ddof=0)
    varying = [d for d in DRIVERS if n and sd[d] > 0]

    def rows(note: str | None, fitted=None) -> list[dict]:
        out = []
        for driver in (*DRIVERS, ALL_FOUR):
            row = {"outcome": outcome, "driver": driver, "odds_ratio_per_sd": None, "ci_lower": None, "ci_upper": None,
                   "p_value": None, "driver_sd": float(sd[driver]) if n and driver in sd else None, "n": n,
                   "outcomes": outcomes,
                   "method": METHOD, "note": note}
            if fitted is not None and driver == ALL_FOUR:
                together = fitted.t_test(np.r_[0.0, np.ones(len(varying))])
                lower, upper = np.exp(together.conf_int(alpha=1 - CONFIDENCE)[0])
                row.update(odds_ratio_per_sd=float(np.exp(together.effect[0])), ci_lower=float(lower),
                           ci_upper=float(upper), p_value=float(together.pvalue))
            elif fitted is not None and driver in varying:
                lower, upper = np.exp(fitted.conf_int(alpha=1 - CONFIDENCE).loc[driver])
                row.update(odds_ratio_per_sd=float(np.exp(fitted.params[driver])), ci_lower=float(lower),
                           ci_upper=float(upper), p_value=float(fitted.pvalues[driver]))
            elif fitted is not None:
                row["note"] = "no variation in this driver: left out of the model"
            out.append(row)
        return out

    needed = EVENTS_PER_DRIVER * max(len(varying), 1)
    if not varying or min(outcomes, n - outcomes) < needed:
        return rows(f"too few to fit: {outcomes} with the outcome and {n - outcomes} without, "
                    f"{needed} of each needed ({EVENTS_PER_DRIVER} per driver)")
    x = (usable[varying] - usable[varying].mean()) / sd[varying]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", category=ConvergenceWarning)
            warnings.simplefilter("error", category=PerfectSeparationWarning)
            fitted = sm.Logit(y, sm.add_constant(x, has_constant="add")).fit(disp=0, maxiter=100)
    except (ConvergenceWarning, PerfectSeparationWarning, np.linalg.LinAlgError) as error:
        return rows(f"not estimable: {type(error).__name__} ({' '.join(str(error).split())[:120]})")
    return rows(None, fitted)
