#!/usr/bin/python3
"""bench/analyse/peer_pandas.py — the pandas peer of the `trellis analyse` benchmark.

Computes the core figures of DESIGN.md "Analysis semantics" for every subject × competency —
self; others mean, n and anonymous n (others.mean null below min_group anonymous raters); each
group's rater-weighted mean and n, before any suppression — from the same ratings CSV, with
idiomatic pandas (read_csv with categorical dtypes, map item → competency, groupby), and writes
them as a CSV with the same columns as the DuckDB peer.

Run with Debian's interpreter (/usr/bin/python3, which has python3-pandas):
  /usr/bin/python3 bench/analyse/peer_pandas.py --framework F.json --ratings R.csv --out OUT.csv
"""
import argparse
import json

import pandas as pd

GROUPS = ["manager", "peer", "direct_report", "partner", "community", "other"]


def item_competency_map(framework_path):
    with open(framework_path, encoding="utf-8") as f:
        framework = json.load(f)
    return {
        item["code"]: comp["code"]
        for domain in framework["domains"]
        for comp in domain["competencies"]
        for item in comp["items"]
    }


def core_figures(ratings, item_to_comp, min_group):
    ratings = ratings.dropna(subset=["score"])
    ratings = ratings.assign(competency=ratings["item"].map(item_to_comp).astype("category"))
    keys = ["subject", "competency"]

    # DESIGN rule 1: a rater's score on a competency = mean of their non-empty item scores.
    rater = (ratings.groupby(["subject", "rater", "group", "competency"], observed=True)["score"]
             .mean().reset_index())
    is_self = rater["rater"].astype(str) == rater["subject"].astype(str)

    self_score = rater[is_self].groupby(keys, observed=True)["score"].max().rename("self")

    others = rater[~is_self]
    anonymous = ~others["group"].isin(["self", "manager"])
    figures = others.groupby(keys, observed=True)["score"].agg(others_mean="mean",
                                                               others_n="size")
    figures["anonymous_n"] = (others[anonymous].groupby(keys, observed=True).size()
                              .reindex(figures.index, fill_value=0))
    figures.loc[figures["anonymous_n"] < min_group, "others_mean"] = float("nan")

    by_group = (others.groupby(keys + ["group"], observed=True)["score"]
                .agg(["mean", "size"]).unstack("group"))
    group_cols = {}
    for g in GROUPS:
        if ("mean", g) in by_group.columns:
            group_cols[f"{g}_mean"] = by_group[("mean", g)]
            group_cols[f"{g}_n"] = by_group[("size", g)].fillna(0).astype("int64")
        else:
            group_cols[f"{g}_mean"] = pd.Series(float("nan"), index=by_group.index)
            group_cols[f"{g}_n"] = pd.Series(0, index=by_group.index, dtype="int64")
    groups = pd.DataFrame(group_cols)

    out = figures.join(self_score, how="outer").join(groups, how="left")
    out["others_n"] = out["others_n"].fillna(0).astype("int64")
    out["anonymous_n"] = out["anonymous_n"].fillna(0).astype("int64")
    for g in GROUPS:
        out[f"{g}_n"] = out[f"{g}_n"].fillna(0).astype("int64")
    columns = ["self", "others_mean", "others_n", "anonymous_n"]
    for g in GROUPS:
        columns += [f"{g}_mean", f"{g}_n"]
    out = out[columns].reset_index()
    out["subject"] = out["subject"].astype(str)
    out["competency"] = out["competency"].astype(str)
    return out.sort_values(keys, kind="stable")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--framework", required=True)
    ap.add_argument("--ratings", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--min-group", type=int, default=3)
    args = ap.parse_args()

    item_to_comp = item_competency_map(args.framework)
    ratings = pd.read_csv(
        args.ratings,
        usecols=["subject", "rater", "group", "item", "score"],
        dtype={"subject": "category", "rater": "category", "group": "category",
               "item": "category", "score": "float64"},
        engine="c",
    )
    figures = core_figures(ratings, item_to_comp, args.min_group)
    figures.to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
