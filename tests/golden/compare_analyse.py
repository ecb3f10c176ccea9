#!/usr/bin/python3
"""Golden test: `trellis analyse` against tests/golden/reference_analyse.py on random campaigns.

Usage: compare_analyse.py TRELLIS_BINARY [--seeds K] [--first-seed N] [--keep DIR]
                          [--profile-fallback profile|cell] [--max-report N]

For each seed: generate a campaign (reference_analyse.generate), run
  TRELLIS analyse --framework F --ratings R --out O --summary S --min-group M
                  --flag-threshold T --profiles P
run the reference on the same files, and compare every field of every report line (numbers
within 1e-9, nulls equal, the same set of shown groups, the same keys in the same order) and
every field of the summary (per-competency alpha, alpha_responses, subjects, mean, sd; totals).
Prints each mismatch with seed, subject, level, code, field and both values; exits 1 on any
mismatch, 0 with "N passed, 0 failed" otherwise. Standard library only.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_analyse as ref  # noqa: E402

TOL = 1e-9
AGG_FIELDS = ["self", "others", "groups", "gap", "flag", "rwg", "percentile", "profile_gap"]


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= TOL
    return a == b


class Comparison:
    def __init__(self, seed, max_report):
        self.seed = seed
        self.max_report = max_report
        self.mismatches = 0
        self.fields = 0

    def check(self, where, field, got, want):
        self.fields += 1
        if same(got, want):
            return True
        self.mismatch(where, field, got, want)
        return False

    def mismatch(self, where, field, got, want):
        self.mismatches += 1
        if self.mismatches <= self.max_report:
            print("MISMATCH seed=%d %s field=%s trellis=%s reference=%s"
                  % (self.seed, where, field, json.dumps(got, ensure_ascii=False),
                     json.dumps(want, ensure_ascii=False)))

    def keys(self, where, field, got, want):
        """Same keys, in the same order."""
        self.fields += 1
        if not isinstance(got, dict):
            self.mismatch(where, field, type(got).__name__, "object")
            return False
        if list(got) != list(want):
            self.mismatch(where, field + " (keys)", list(got), list(want))
            return False
        return True

    def agg(self, where, got, want):
        if not self.keys(where, "AGG", got, want):
            return
        for f in AGG_FIELDS:
            if f == "others":
                if self.keys(where, "others", got["others"], want["others"]):
                    self.check(where, "others.mean", got["others"]["mean"], want["others"]["mean"])
                    self.check(where, "others.n", got["others"]["n"], want["others"]["n"])
            elif f == "groups":
                g, w = got["groups"], want["groups"]
                self.fields += 1
                if not isinstance(g, dict) or set(g) != set(w):
                    self.mismatch(where, "groups (shown set)", sorted(g) if isinstance(g, dict)
                                  else g, sorted(w))
                    continue
                for name in w:
                    self.check(where, "groups.%s.mean" % name, g[name].get("mean"), w[name]["mean"])
                    self.check(where, "groups.%s.n" % name, g[name].get("n"), w[name]["n"])
                    if set(g[name]) != {"mean", "n"}:
                        self.mismatch(where, "groups.%s (keys)" % name, sorted(g[name]),
                                      ["mean", "n"])
            else:
                self.check(where, f, got[f], want[f])


def compare_reports(cmp, got_lines, want_reports, want_order):
    got = []
    for n, line in enumerate(got_lines, 1):
        try:
            got.append(json.loads(line))
        except ValueError as e:
            cmp.mismatch("line=%d" % n, "JSON", line[:80], "valid JSON (%s)" % e)
            return 0
    got_order = [g.get("subject") for g in got]
    cmp.fields += 1
    if got_order != want_order:
        cmp.mismatch("report", "subjects (in byte order)", got_order, want_order)
        return 0
    for g, subject in zip(got, want_order):
        w = ref.report_to_json(want_reports[subject])
        if not cmp.keys("subject=%s" % subject, "line", g, w):
            continue
        cmp.agg("subject=%s level=overall code=-" % subject, g["overall"], w["overall"])
        for level in ("domains", "competencies", "items"):
            if not cmp.keys("subject=%s level=%s" % (subject, level), level, g[level], w[level]):
                continue
            for code in w[level]:
                cmp.agg("subject=%s level=%s code=%s" % (subject, level, code), g[level][code],
                        w[level][code])
    return len(got)


def compare_summary(cmp, got, want):
    for f in ("format", "version", "framework", "min_group", "flag_threshold"):
        cmp.check("summary", f, got.get(f), want[f])
    for f, v in want["totals"].items():
        cmp.check("summary totals", f, got.get("totals", {}).get(f), v)
    gc = got.get("competencies", {})
    if cmp.keys("summary", "competencies", gc, want["competencies"]):
        for code, w in want["competencies"].items():
            for f, v in w.items():
                cmp.check("summary competency=%s" % code, f, gc[code].get(f), v)


def run_seed(binary, seed, work, max_report, fallback_mode):
    d = os.path.join(work, "seed-%d" % seed)
    params = ref.generate(d, seed)
    files = {k: os.path.join(d, v) for k, v in
             [("framework", "framework.json"), ("ratings", "ratings.csv"),
              ("people", "people.csv"), ("out", "trellis.jsonl"),
              ("summary", "trellis-summary.json")]}
    cmd = [binary, "analyse", "--framework", files["framework"], "--ratings", files["ratings"],
           "--out", files["out"], "--summary", files["summary"],
           "--min-group", str(params["min_group"]),
           "--flag-threshold", repr(params["flag_threshold"]),
           "--profiles", files["people"]]
    cmp = Comparison(seed, max_report)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        cmp.mismatch("run", "exit code", proc.returncode, 0)
        print("  command: %s\n  stderr: %s" % (" ".join(cmd), proc.stderr.strip()))
        return cmp, 0, d

    fw = ref.load_framework(files["framework"])
    rows = ref.read_ratings(files["ratings"])
    people = ref.read_people(files["people"])
    reports, subjects, summary = ref.analyse(fw, rows, people, params["min_group"],
                                             params["flag_threshold"], fallback_mode)
    with open(files["out"], encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n") if l]
    n = compare_reports(cmp, lines, reports, subjects)
    with open(files["summary"], encoding="utf-8") as f:
        try:
            got_summary = json.load(f)
        except ValueError as e:
            cmp.mismatch("summary", "JSON", "invalid (%s)" % e, "valid JSON")
            got_summary = None
    if got_summary is not None:
        compare_summary(cmp, got_summary, summary)
    if cmp.mismatches:
        print("seed %d: %d mismatches (min_group=%d, flag_threshold=%s); files kept in %s"
              % (seed, cmp.mismatches, params["min_group"], params["flag_threshold"], d))
    return cmp, n, d


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--keep", metavar="DIR", help="write the campaigns here and keep them")
    ap.add_argument("--max-report", type=int, default=10, help="mismatches printed per seed")
    ap.add_argument("--profile-fallback", choices=["profile", "cell"], default="cell")
    a = ap.parse_args(argv)
    binary = os.path.abspath(a.binary)
    if a.keep:
        os.makedirs(a.keep, exist_ok=True)
        work = a.keep
    else:
        work = tempfile.mkdtemp(prefix="golden-analyse-", dir=os.getcwd())
    passed = failed = subjects = fields = 0
    try:
        for seed in range(a.first_seed, a.first_seed + a.seeds):
            cmp, n, d = run_seed(binary, seed, work, a.max_report, a.profile_fallback)
            subjects += n
            fields += cmp.fields
            if cmp.mismatches:
                failed += 1
            else:
                passed += 1
                if not a.keep:
                    shutil.rmtree(d, ignore_errors=True)
    finally:
        if not a.keep and failed == 0:
            shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed (%d seeds, %d subject reports, %d fields compared)"
          % (passed, failed, a.seeds, subjects, fields))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
