#!/usr/bin/python3
"""bench/tools/crosscheck.py — checks that the analyse benchmark's contenders agree.

A benchmark that compares wrong answers is worthless, so after timing, bench/run.sh runs this:
  1. peers: the pandas and DuckDB core-figure CSVs must hold the same subject × competency rows
     with equal figures (counts exactly, means within 1e-9);
  2. trellis: for every subject (or a --sample of them) and competency, the JSON Lines report's
     `competencies.CODE` must match the DuckDB figures: `self`, `others.mean` (null exactly when
     the peer's is empty), `others.n`, and `groups` — recomputed from the peer's raw per-group
     means and counts by DESIGN.md rule 4 (manager when present; anonymous groups of ≥ min_group;
     the rest, plus merged smallest groups, as `combined` when it reaches min_group).
Prints a summary and up to 10 mismatches per check; exits 1 on any mismatch.

usage: crosscheck.py --duckdb D.csv [--pandas P.csv] [--trellis REPORT.jsonl]
                     [--min-group 3] [--sample N]
"""
import argparse
import csv
import json
import math
import sys

ANONYMOUS = ["peer", "direct_report", "partner", "community", "other"]
GROUPS = ["manager"] + ANONYMOUS
TOL = 1e-9


def load_peer(path):
    """{(subject, competency): row dict with floats / None / ints}."""
    cells = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cell = {}
            for k, v in row.items():
                if k in ("subject", "competency"):
                    continue
                if k.endswith("_n"):
                    cell[k] = int(float(v)) if v != "" else 0
                else:
                    cell[k] = float(v) if v != "" else None
            cells[(row["subject"], row["competency"])] = cell
    return cells


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=0.0, abs_tol=TOL)


class Mismatches:
    def __init__(self, name):
        self.name, self.count, self.checked = name, 0, 0

    def check(self, ok, what):
        self.checked += 1
        if not ok:
            self.count += 1
            if self.count <= 10:
                print(f"    MISMATCH {self.name}: {what}")

    def report(self):
        verdict = "agree" if self.count == 0 else f"{self.count} MISMATCHES"
        print(f"  {self.name}: {self.checked} figures compared: {verdict}")
        return self.count == 0


def compare_peers(duck, pandas):
    m = Mismatches("pandas vs duckdb")
    m.check(duck.keys() == pandas.keys(),
            f"row sets differ: {len(duck.keys() - pandas.keys())} only in duckdb, "
            f"{len(pandas.keys() - duck.keys())} only in pandas")
    for key in sorted(duck.keys() & pandas.keys()):
        a, b = duck[key], pandas[key]
        for col in a:
            same = a[col] == b.get(col) if col.endswith("_n") else close(a[col], b.get(col))
            m.check(same, f"{key} {col}: duckdb {a[col]} pandas {b.get(col)}")
    return m.report()


def expected_groups(cell, min_group):
    """DESIGN.md rule 4 applied to the peer's raw per-group figures: {name: (mean, n)}."""
    shown = {}
    if cell["manager_n"] > 0:
        shown["manager"] = (cell["manager_mean"], cell["manager_n"])
    big = [g for g in ANONYMOUS if cell[f"{g}_n"] >= min_group]
    merged = [g for g in ANONYMOUS if 0 < cell[f"{g}_n"] < min_group]
    n_of = lambda gs: sum(cell[f"{g}_n"] for g in gs)
    while merged and n_of(merged) < min_group and big:
        # Smallest shown group; ties go to the later one in ANONYMOUS order.
        smallest = min(reversed(big), key=lambda g: cell[f"{g}_n"])
        big.remove(smallest)
        merged.append(smallest)
    for g in big:
        shown[g] = (cell[f"{g}_mean"], cell[f"{g}_n"])
    n = n_of(merged)
    if n >= min_group:
        total = sum(cell[f"{g}_mean"] * cell[f"{g}_n"] for g in merged)
        shown["combined"] = (total / n, n)
    return shown


def compare_trellis(duck, report_path, min_group, sample):
    m = Mismatches("trellis vs duckdb")
    by_subject = {}
    for (subject, comp), cell in duck.items():
        by_subject.setdefault(subject, {})[comp] = cell
    subjects = sorted(by_subject)
    wanted = set(subjects)
    if sample and sample < len(subjects):
        step = len(subjects) / sample
        wanted = {subjects[int(i * step)] for i in range(sample)}
    seen = set()
    lines = 0
    with open(report_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            lines += 1
            if len(wanted) < len(subjects):
                # Sampling: read the subject id without parsing the whole line.
                at = line.find('"subject"')
                head = line[line.find(":", at) + 1:].lstrip()
                subject = head[1:head.find('"', 1)]
                if subject not in wanted:
                    m.check(subject not in seen, f"subject {subject} reported twice")
                    seen.add(subject)
                    continue
            obj = json.loads(line)
            subject = obj["subject"]
            m.check(subject not in seen, f"subject {subject} reported twice")
            seen.add(subject)
            if subject not in wanted:
                continue
            comps = obj.get("competencies", {})
            for comp, cell in by_subject.get(subject, {}).items():
                agg = comps.get(comp)
                if agg is None:
                    m.check(False, f"{subject} {comp}: missing from the report")
                    continue
                others = agg.get("others") or {}
                m.check(close(agg.get("self"), cell["self"]),
                        f"{subject} {comp} self: trellis {agg.get('self')} duckdb {cell['self']}")
                m.check(close(others.get("mean"), cell["others_mean"]),
                        f"{subject} {comp} others.mean: trellis {others.get('mean')} "
                        f"duckdb {cell['others_mean']}")
                m.check(others.get("n") == cell["others_n"],
                        f"{subject} {comp} others.n: trellis {others.get('n')} "
                        f"duckdb {cell['others_n']}")
                want = expected_groups(cell, min_group)
                got = {g: (v.get("mean"), v.get("n")) for g, v in (agg.get("groups") or {}).items()}
                same = want.keys() == got.keys() and all(
                    close(got[g][0], want[g][0]) and got[g][1] == want[g][1] for g in want)
                m.check(same, f"{subject} {comp} groups: trellis {got} expected {want}")
            # A competency the peer has no row for had no rater with a score on it.
            for comp, agg in comps.items():
                if comp in by_subject.get(subject, {}):
                    continue
                others = agg.get("others") or {}
                m.check(agg.get("self") is None and not others.get("n"),
                        f"{subject} {comp}: trellis has figures, the peers have no rater")
    missing = set(subjects) - seen
    m.check(not missing, f"{len(missing)} subjects missing from the report, e.g. "
                         f"{sorted(missing)[:3]}")
    print(f"  trellis report: {lines} lines, {len(wanted)} subjects compared in full")
    return m.report()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duckdb", required=True)
    ap.add_argument("--pandas")
    ap.add_argument("--trellis")
    ap.add_argument("--min-group", type=int, default=3)
    ap.add_argument("--sample", type=int, default=0,
                    help="compare only N evenly spread subjects of the trellis report (0: all)")
    args = ap.parse_args()

    duck = load_peer(args.duckdb)
    ok = True
    if args.pandas:
        ok &= compare_peers(duck, load_peer(args.pandas))
    if args.trellis:
        ok &= compare_trellis(duck, args.trellis, args.min_group, args.sample)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
