"""Does the open-case outlook say what then happens? A backtest (issue 24, item 1).

At earlier instants T (STEP_HOURS apart, ending `horizon` before the data does, so every
outcome is known), the outlook is computed from what was known at T (open_case_outlook.py reads the
per-case facts as they stood at T) and compared with what followed: whether each case open at T
smiled within the horizon. The predictions of every T are pooled and cut into deciles of the
predicted probability; in each decile, the share of cases that smiled should lie within the
90% interval that sampling alone allows around the mean prediction (Wilson's, with the decile's
n). docs/decisions.md has the table for the generated company; tests/test_open_case_outlook.py
holds it.

    python -m time_to_smile.statistics.outlook_calibration SERVING_OR_WAREHOUSE.duckdb [--instants N]
"""

from __future__ import annotations

import argparse
from datetime import timedelta

import duckdb
import pandas as pd

from .open_case_outlook import HORIZONS, open_case_outlook, wilson

DECILES = 10


#: Hours between two backtest instants: not a whole number of days, so the instants fall on every
#: weekday and at every hour (the helpdesk's week shapes the next 72 hours: the outlook does not
#: model it, docs/decisions.md).
STEP_HOURS = 101


def backtest_instants(con: duckdb.DuckDBPyConnection, count: int, horizon_hours: int, schema: str = "marts") -> list[str]:
    """`count` instants STEP_HOURS apart, the last `horizon_hours` before the data ends (the run's
    as-of, where the open cases' last segments end)."""
    as_of = con.execute(f"select max(segment_end) from {schema}.fct_case_phases").fetchall()[0][0]
    last = as_of - timedelta(hours=horizon_hours)
    return [(last - timedelta(hours=STEP_HOURS * k)).strftime("%Y-%m-%d %H:%M:%S") for k in range(count)]


def predictions(con: duckdb.DuckDBPyConnection, instants: list[str], horizon: str = "72h",
                schema: str = "marts") -> pd.DataFrame:
    """Each case open at each instant: its predicted probability of smiling within `horizon`
    and whether it did (smiled_at within the horizon after the instant)."""
    hours = HORIZONS[horizon]
    smiled = con.execute(f"select case_id, smiled_at from {schema}.fct_case_journey").fetchdf()
    columns = {f"p_smile_{horizon}": "predicted", f"p_smile_{horizon}_ci_lower": "predicted_ci_lower",
               f"p_smile_{horizon}_ci_upper": "predicted_ci_upper"}
    frames = [open_case_outlook(con, instant, schema)[["case_id", "as_of", *columns]] for instant in instants]
    pooled = pd.concat(frames, ignore_index=True).merge(smiled, on="case_id", how="left").rename(columns=columns)
    deadline = pooled["as_of"] + pd.Timedelta(hours=hours)
    pooled["smiled"] = pooled["smiled_at"].notna() & (pooled["smiled_at"] > pooled["as_of"]) & (pooled["smiled_at"] <= deadline)
    return pooled.drop(columns=["smiled_at"])


def calibration_table(pooled: pd.DataFrame) -> pd.DataFrame:
    """One row per decile of the predicted probability (ties split by instant and case): n, the
    mean prediction and the mean of its published 90% interval, and the share that smiled.
    `holds`: the share lies within the mean published interval (what the outlook claims).
    `within_sampling`: it lies within the 90% interval that n cases' sampling alone allows around
    the mean prediction (Wilson's), a stricter check that ignores the predictions' own uncertainty."""
    ordered = pooled.sort_values(["predicted", "as_of", "case_id"], ignore_index=True)
    ordered["decile"] = (ordered.index * DECILES // len(ordered)) + 1
    table = ordered.groupby("decile").agg(
        n=("smiled", "size"), mean_predicted=("predicted", "mean"), smiled=("smiled", "sum"),
        # an interval with no comparable case to rest on (n = 0) is null: it claims nothing
        ci_lower=("predicted_ci_lower", "mean"), ci_upper=("predicted_ci_upper", "mean")).reset_index()
    table["observed_share"] = table["smiled"] / table["n"]
    table["sampling_lower"], table["sampling_upper"] = wilson(table["mean_predicted"], table["n"])
    share = table["observed_share"]
    table["holds"] = (share >= table["ci_lower"] - 1e-12) & (share <= table["ci_upper"] + 1e-12)
    table["within_sampling"] = (share >= table["sampling_lower"] - 1e-12) & (share <= table["sampling_upper"] + 1e-12)
    return table


def markdown(table: pd.DataFrame) -> str:
    lines = ["| decile | cases | mean predicted | its 90% interval (mean) | smiled within 72 h | within | "
             "sampling interval for n | within |",
             "| ---: | ---: | ---: | --- | ---: | --- | --- | --- |"]
    for row in table.itertuples():
        lines.append(f"| {row.decile} | {row.n} | {row.mean_predicted:.1%} | {row.ci_lower:.1%} to {row.ci_upper:.1%} "
                     f"| {row.observed_share:.1%} ({row.smiled}) | {'yes' if row.holds else 'NO'} "
                     f"| {row.sampling_lower:.1%} to {row.sampling_upper:.1%} | {'yes' if row.within_sampling else 'no'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", help="a serving.duckdb or warehouse.duckdb with the published marts")
    parser.add_argument("--instants", type=int, default=50, help=f"instants to backtest, {STEP_HOURS} hours apart (default 50)")
    args = parser.parse_args(argv)
    with duckdb.connect(args.database, read_only=True) as con:
        instants = backtest_instants(con, args.instants, HORIZONS["72h"])
        pooled = predictions(con, instants)
    table = calibration_table(pooled)
    print(f"{len(pooled)} predictions at {len(instants)} instants {STEP_HOURS} hours apart, {instants[-1]} to {instants[0]} (UTC)")
    print(markdown(table))


if __name__ == "__main__":
    main()
