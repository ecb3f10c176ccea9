#!/usr/bin/python3
"""Reference implementation of DESIGN.md "Analysis semantics" (rules 1-9), for golden tests.

A deliberately plain, slow, second implementation of `trellis analyse`, written from
DESIGN.md (and the decisions docs/analysis.md records where DESIGN.md is silent) without
looking at src/analytics/aggregate.cc. All arithmetic is exact (fractions.Fraction); a figure
becomes a float only when it is written. Standard library only.

Usage:
  reference_analyse.py --framework F.json --ratings R.csv --out reports.jsonl
                       --summary summary.json [--min-group 3] [--flag-threshold 1.0]
                       [--profiles people.csv] [--profile-fallback profile|cell]
  reference_analyse.py --generate DIR --seed N
      writes DIR/framework.json, DIR/ratings.csv, DIR/people.csv and DIR/params.json
      (min_group and flag_threshold to use) for a random small campaign.

Rules implemented (S = an item set: one item, a competency, a domain or "overall"):
  1  a rater's score on S = mean of that rater's non-empty scores on items of S; none -> absent
  2  self = the self rater's score on S, else null
  3  others = non-self raters with a score on S; mean shown only if the anonymous ones
     (groups other than self/manager) number >= min_group
  4  groups: manager whenever present; anonymous groups with >= min_group raters; the rest
     form `combined`; merge the smallest shown anonymous group (ties: the later one) while
     combined is non-empty and < min_group; combined shown only when >= min_group
  5  gap = others.mean - self; flag by threshold (1e-9 allowance)
  6  rwg(J) over non-self raters, only where others.mean is shown
  7  percentile among subjects with a shown others.mean on S
  8  profile_gap (competency: expected level; domain/overall: importance-weighted mean of the
     expected levels when every competency of the set has one; item: null)
  9  summary alpha per competency, listwise over complete non-self responses
"""

import argparse
import csv
import io
import json
import math
import os
import random
import sys
from fractions import Fraction

ANON_ORDER = ["peer", "direct_report", "partner", "community", "other"]
GROUPS = ["self", "manager"] + ANON_ORDER
LEVELS = ["strategic", "operational"]
FUNCTIONS = ["generalist", "clinical", "hr", "finance", "it", "data", "other"]
EPS = Fraction(1, 10**9)


# ---------------------------------------------------------------------------------------------
# Input


def load_framework(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    scale = doc.get("scale", {"min": 1, "max": 5})
    fw = {
        "code": doc["code"],
        "min": int(scale["min"]),
        "max": int(scale["max"]),
        "domains": [],  # [(code, [(competency code, [item codes])])]
        "profiles": [],  # [(level, function, {competency: (level, importance)})]
    }
    for d in doc["domains"]:
        comps = []
        for c in d["competencies"]:
            comps.append((c["code"], [i["code"] for i in c["items"]]))
        fw["domains"].append((d["code"], comps))
    for p in doc.get("role_profiles", []):
        exp = {}
        for code, e in p.get("expectations", {}).items():
            exp[code] = (int(e["level"]), int(e["importance"]))
        fw["profiles"].append((p["level"], p.get("function", "generalist"), exp))
    return fw


def item_sets(fw):
    """[(level key, code, [item codes], [competency codes])] in report order."""
    sets = []
    all_items, all_comps = [], []
    for dcode, comps in fw["domains"]:
        for ccode, items in comps:
            all_items += items
            all_comps.append(ccode)
    sets.append(("overall", None, all_items, all_comps))
    for dcode, comps in fw["domains"]:
        items = [i for _, its in comps for i in its]
        sets.append(("domains", dcode, items, [c for c, _ in comps]))
    for dcode, comps in fw["domains"]:
        for ccode, items in comps:
            sets.append(("competencies", ccode, list(items), [ccode]))
    for dcode, comps in fw["domains"]:
        for ccode, items in comps:
            for i in items:
                sets.append(("items", i, [i], []))
    return sets


def read_ratings(path):
    """Rows as dicts with subject, rater, group, item, score (int or None)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = []
        for r in reader:
            if not any(v for v in r.values() if isinstance(v, str)):
                continue  # blank line
            s = r["score"]
            rows.append({
                "subject": r["subject"],
                "rater": r["rater"],
                "group": r["group"],
                "item": r["item"],
                "score": int(s) if s != "" else None,
            })
    return rows


def read_people(path):
    people = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if not r.get("subject"):
                continue
            people[r["subject"]] = (r["level"], r["function"])
    return people


def resolve_profile(fw, role, mode):
    """The {competency: (level, importance)} of a (level, function) role, or None.

    mode "profile": the level x function profile if the framework has one, else the
    level x generalist profile (whole-profile fallback; not what DESIGN.md says).
    mode "cell": per competency, the level x function cell if set, else the level x generalist
    cell (DESIGN.md "a missing cell falls back to level x generalist"; what `trellis` implements).
    """
    if role is None:
        return None
    level, function = role
    exact = generalist = None
    for plevel, pfunction, exp in fw["profiles"]:
        if plevel != level:
            continue
        if pfunction == function:
            exact = exp
        if pfunction == "generalist":
            generalist = exp
    if mode == "profile":
        return exact if exact is not None else generalist
    if exact is None and generalist is None:
        return None
    merged = dict(generalist or {})
    merged.update(exact or {})
    return merged


# ---------------------------------------------------------------------------------------------
# Statistics


def mean(values):
    values = list(values)
    return Fraction(sum(values), len(values))


def sample_variance(values):
    values = [Fraction(v) for v in values]
    m = mean(values)
    return sum((v - m) ** 2 for v in values) / (len(values) - 1)


def to_num(x):
    if x is None:
        return None
    return float(x)


# ---------------------------------------------------------------------------------------------
# Analysis


def analyse(fw, rows, people, min_group, threshold, fallback_mode="cell"):
    threshold = Fraction(threshold)
    scale_points = fw["max"] - fw["min"] + 1
    chance_variance = Fraction(scale_points * scale_points - 1, 12)
    sets = item_sets(fw)

    # subject -> {rater: group}, subject -> {rater: {item: score}} (non-empty scores only)
    group_of = {}
    scores = {}
    for r in rows:
        group_of.setdefault(r["subject"], {})[r["rater"]] = r["group"]
        per_rater = scores.setdefault(r["subject"], {}).setdefault(r["rater"], {})
        if r["score"] is not None:
            per_rater[r["item"]] = r["score"]
    subjects = sorted(group_of, key=lambda s: s.encode("utf-8"))

    reports = {}
    for subject in subjects:
        role = people.get(subject) if people is not None else None
        profile = resolve_profile(fw, role, fallback_mode)
        report = {"subject": subject, "overall": None, "domains": {}, "competencies": {},
                  "items": {}}
        for level, code, items, comps in sets:
            agg = aggregate(subject, group_of[subject], scores[subject], items, min_group,
                            threshold, chance_variance)
            agg["profile_gap"] = profile_gap(agg["_others_mean"], level, comps, profile)
            if level == "overall":
                report["overall"] = agg
            else:
                report[level][code] = agg
        reports[subject] = report

    # Rule 7: percentiles per item set, among subjects with a shown others.mean.
    for level, code, items, comps in sets:
        def get(subject):
            rep = reports[subject]
            return rep["overall"] if level == "overall" else rep[level][code]
        shown = [get(s)["_others_mean"] for s in subjects if get(s)["_others_mean"] is not None]
        for s in subjects:
            agg = get(s)
            x = agg["_others_mean"]
            if x is None:
                agg["percentile"] = None
                continue
            below = sum(1 for m in shown if m < x - EPS)
            equal = sum(1 for m in shown if abs(m - x) <= EPS)
            agg["percentile"] = Fraction(100) * (below + Fraction(equal, 2)) / len(shown)

    summary = make_summary(fw, rows, group_of, scores, reports, subjects, min_group, threshold)
    return reports, subjects, summary


def aggregate(subject, group_of, scores, items, min_group, threshold, chance_variance):
    # Rule 1: each rater's score on S.
    rater_score = {}
    for rater in group_of:
        vals = [scores[rater][i] for i in items if i in scores[rater]]
        if vals:
            rater_score[rater] = mean(vals)

    # Rule 2.
    self_score = None
    for rater, s in rater_score.items():
        if group_of[rater] == "self" and rater == subject:
            self_score = s

    # Rule 3.
    others = [r for r in rater_score if group_of[r] != "self"]
    anonymous = [r for r in others if group_of[r] not in ("self", "manager")]
    others_mean = None
    if len(anonymous) >= min_group:
        others_mean = mean(rater_score[r] for r in others)

    # Rule 4.
    members = {g: [r for r in others if group_of[r] == g] for g in ["manager"] + ANON_ORDER}
    shown_anon = [g for g in ANON_ORDER if len(members[g]) >= min_group]
    combined = [r for g in ANON_ORDER if g not in shown_anon for r in members[g]]
    while combined and len(combined) < min_group and shown_anon:
        smallest = None
        for g in shown_anon:  # in order, so `<=` lets a later group win a tie
            if smallest is None or len(members[g]) <= len(members[smallest]):
                smallest = g
        shown_anon.remove(smallest)
        combined += members[smallest]
    groups = {}
    if members["manager"]:
        groups["manager"] = members["manager"]
    for g in shown_anon:
        groups[g] = members[g]
    if len(combined) >= min_group:
        groups["combined"] = combined
    groups_out = {g: {"mean": mean(rater_score[r] for r in rs), "n": len(rs)}
                  for g, rs in groups.items()}

    # Rule 5.
    gap = flag = None
    if others_mean is not None and self_score is not None:
        gap = others_mean - self_score
        if self_score - others_mean >= threshold - EPS:
            flag = "blind_spot"
        elif others_mean - self_score >= threshold - EPS:
            flag = "hidden_strength"

    # Rule 6.
    rwg = None
    if others_mean is not None:
        variances = []
        for i in items:
            vals = [scores[r][i] for r in group_of if group_of[r] != "self" and i in scores[r]]
            if len(vals) >= 2:
                variances.append(sample_variance(vals))
        if variances:
            J = len(variances)
            v = mean(variances) / chance_variance
            if v >= 1 - EPS:
                rwg = Fraction(0)
            else:
                rwg = J * (1 - v) / (J * (1 - v) + v)

    return {
        "self": self_score,
        "others": {"mean": others_mean, "n": len(others)},
        "groups": groups_out,
        "gap": gap,
        "flag": flag,
        "rwg": rwg,
        "percentile": None,  # filled in once every subject is known
        "profile_gap": None,
        "_others_mean": others_mean,
    }


def profile_gap(others_mean, level, comps, profile):
    if others_mean is None or profile is None or level == "items":
        return None
    if level == "competencies":
        e = profile.get(comps[0])
        return None if e is None else others_mean - e[0]
    if not comps or any(c not in profile for c in comps):
        return None
    weighted = sum(profile[c][0] * profile[c][1] for c in comps)
    weights = sum(profile[c][1] for c in comps)
    return others_mean - Fraction(weighted, weights)


def make_summary(fw, rows, group_of, scores, reports, subjects, min_group, threshold):
    totals = {
        "subjects": len(subjects),
        "subjects_with_others": sum(1 for s in subjects
                                    if reports[s]["overall"]["_others_mean"] is not None),
        "raters": len({r["rater"] for r in rows}),
        "responses": len({(r["subject"], r["rater"]) for r in rows}),
        "ratings": len(rows),
        "not_observed": sum(1 for r in rows if r["score"] is None),
    }
    competencies = {}
    for dcode, comps in fw["domains"]:
        for ccode, items in comps:
            # Rule 9: listwise complete non-self responses.
            responses = []
            for s in subjects:
                for rater, g in group_of[s].items():
                    if g == "self":
                        continue
                    if all(i in scores[s][rater] for i in items):
                        responses.append([scores[s][rater][i] for i in items])
            k = len(items)
            alpha = None
            if k >= 2 and len(responses) >= 2:
                var_items = [sample_variance([resp[j] for resp in responses]) for j in range(k)]
                var_total = sample_variance([sum(resp) for resp in responses])
                if var_total > EPS:
                    alpha = Fraction(k, k - 1) * (1 - sum(var_items) / var_total)
            means = [reports[s]["competencies"][ccode]["_others_mean"] for s in subjects]
            means = [m for m in means if m is not None]
            sd = None
            if len(means) >= 2:
                sd = math.sqrt(float(sample_variance(means)))
            competencies[ccode] = {
                "alpha": to_num(alpha),
                "alpha_responses": len(responses),
                "subjects": len(means),
                "mean": to_num(mean(means)) if means else None,
                "sd": sd,
            }
    return {"format": "trellis-analysis-summary", "version": 1, "framework": fw["code"],
            "min_group": min_group, "flag_threshold": float(threshold), "totals": totals,
            "competencies": competencies}


def agg_to_json(agg):
    return {
        "self": to_num(agg["self"]),
        "others": {"mean": to_num(agg["others"]["mean"]), "n": agg["others"]["n"]},
        "groups": {g: {"mean": to_num(v["mean"]), "n": v["n"]} for g, v in agg["groups"].items()},
        "gap": to_num(agg["gap"]),
        "flag": agg["flag"],
        "rwg": to_num(agg["rwg"]),
        "percentile": to_num(agg["percentile"]),
        "profile_gap": to_num(agg["profile_gap"]),
    }


def report_to_json(rep):
    return {
        "subject": rep["subject"],
        "overall": agg_to_json(rep["overall"]),
        "domains": {c: agg_to_json(a) for c, a in rep["domains"].items()},
        "competencies": {c: agg_to_json(a) for c, a in rep["competencies"].items()},
        "items": {c: agg_to_json(a) for c, a in rep["items"].items()},
    }


def run_reference(framework, ratings, out, summary_path, min_group=3, flag_threshold=1.0,
                  profiles=None, fallback_mode="cell"):
    fw = load_framework(framework)
    rows = read_ratings(ratings)
    people = read_people(profiles) if profiles else None
    reports, subjects, summary = analyse(fw, rows, people, min_group, flag_threshold,
                                         fallback_mode)
    with open(out, "w", encoding="utf-8") as f:
        for s in subjects:
            f.write(json.dumps(report_to_json(reports[s]), ensure_ascii=False) + "\n")
    with open(summary_path, "w", encoding="utf-8") as f:
        json.dump(summary, f, ensure_ascii=False)
        f.write("\n")


# ---------------------------------------------------------------------------------------------
# Random campaign generator


def generate(directory, seed):
    rng = random.Random(seed)
    os.makedirs(directory, exist_ok=True)
    scale_min, scale_max = (1, 7) if rng.random() < 0.3 else (1, 5)

    domains = []
    all_comps = []
    all_items = []
    for d in range(rng.randint(2, 4)):
        dcode = "D%d" % (d + 1)
        comps = []
        for c in range(rng.randint(2, 3)):
            ccode = "%s.%d" % (dcode, c + 1)
            n_items = 1 if rng.random() < 0.08 else rng.randint(2, 4)  # k < 2 now and then
            items = [{"code": "%s.%s" % (ccode, "abcd"[i]), "text": "Item %s.%s" % (ccode, i)}
                     for i in range(n_items)]
            comps.append({"code": ccode, "title": "Competency " + ccode, "description": "",
                          "items": items})
            all_comps.append(ccode)
            all_items += [it["code"] for it in items]
        domains.append({"code": dcode, "title": "Domain " + dcode, "description": "",
                        "competencies": comps})

    profiles = []
    for level in LEVELS:
        for function in FUNCTIONS:
            p_present = 0.8 if function == "generalist" else 0.25
            if rng.random() >= p_present:
                continue
            coverage = 1.0 if rng.random() < 0.6 else rng.uniform(0.4, 0.95)
            exp = {}
            for c in all_comps:
                if rng.random() < coverage:
                    exp[c] = {"level": rng.randint(scale_min, scale_max),
                              "importance": rng.randint(1, 3)}
            profiles.append({"level": level, "function": function, "expectations": exp})
    rng.shuffle(profiles)

    framework = {"format": "trellis-framework", "version": 1, "code": "golden-%d" % seed,
                 "title": "Golden framework %d" % seed,
                 "scale": {"min": scale_min, "max": scale_max, "labels": {}},
                 "domains": domains, "role_profiles": profiles}
    with open(os.path.join(directory, "framework.json"), "w", encoding="utf-8") as f:
        json.dump(framework, f, ensure_ascii=False, indent=1)

    n_subjects = rng.randint(20, 60)
    subject_ids = ["S%d" % (i + 1) for i in range(n_subjects)]
    if rng.random() < 0.3:
        subject_ids[rng.randrange(n_subjects)] = "Zoë"  # a non-ASCII id
    rater_pool = ["R%d" % (i + 1) for i in range(rng.randint(40, 200))]

    # Now and then a competency that almost nobody observes (alpha from 0 or 1 complete
    # responses) or on which every rater gives the same scores (alpha's var_total = 0, rwg = 1,
    # percentile ties).
    rare = {c for c in all_comps if rng.random() < 0.1}
    consensus = {c for c in all_comps if c not in rare and rng.random() < 0.08}
    rows = []
    p_not_observed = rng.uniform(0.05, 0.25)
    for subject in subject_ids:
        raters = []  # (rater, group)
        if rng.random() < 0.75:
            raters.append((subject, "self"))
        n_managers = rng.choices([0, 1, 2], weights=[25, 65, 10])[0]
        for g in ["manager"] * n_managers + [
                g for g in ANON_ORDER for _ in range(rng.choices(
                    range(7), weights=[30, 15, 15, 15, 10, 8, 7])[0])]:
            raters.append((None, g))
        candidates = [r for r in rater_pool + subject_ids if r != subject]
        chosen = rng.sample(candidates, sum(1 for r, _ in raters if r is None))
        it = iter(chosen)
        raters = [(r if r is not None else next(it), g) for r, g in raters]
        centre = rng.uniform(scale_min, scale_max)
        for rater, group in raters:
            lean = centre + rng.uniform(-1.5, 1.5)
            style = rng.random()
            wrote_any = False
            for d in domains:
                for c in d["competencies"]:
                    skip_competency = rng.random() < (0.995 if c["code"] in rare else 0.12)
                    for n_item, item in enumerate(c["items"]):
                        if style < 0.05:
                            score = None  # a rater who observed nothing at all
                        elif skip_competency:
                            score = None
                        elif c["code"] in consensus:
                            score = scale_min + (n_item % (scale_max - scale_min + 1))
                        elif rng.random() < p_not_observed:
                            score = None
                        elif style < 0.15:
                            score = scale_min + (scale_max - scale_min) // 2  # flat liner
                        else:
                            score = int(round(lean + rng.gauss(0, 1)))
                            score = max(scale_min, min(scale_max, score))
                        if score is None and rng.random() < 0.5 and wrote_any:
                            continue  # not observed as a missing row rather than an empty score
                        comment = ""
                        if rng.random() < 0.03:
                            comment = rng.choice(['Clear, but "our" plan', "line one\nline two",
                                                  "fine", "señal, ok"])
                        rows.append({"subject": subject, "rater": rater, "group": group,
                                     "item": item["code"],
                                     "score": "" if score is None else str(score),
                                     "comment": comment})
                        wrote_any = True
    rng.shuffle(rows)

    columns = ["subject", "rater", "group", "item", "score", "comment"]
    if rng.random() < 0.3:
        rng.shuffle(columns)
    terminator = "\r\n" if rng.random() < 0.5 else "\n"
    with open(os.path.join(directory, "ratings.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator=terminator)
        w.writeheader()
        w.writerows(rows)

    with open(os.path.join(directory, "people.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["subject", "level", "function"])
        for subject in subject_ids:
            if rng.random() < 0.85:
                w.writerow([subject, rng.choice(LEVELS), rng.choice(FUNCTIONS)])
        if rng.random() < 0.5:
            w.writerow(["NOT_A_SUBJECT", "strategic", "hr"])

    params = {"seed": seed, "min_group": rng.randint(2, 5),
              "flag_threshold": rng.choice([1.0, 1.0, 0.5, 0.75, 1.5, 2.0])}
    with open(os.path.join(directory, "params.json"), "w", encoding="utf-8") as f:
        json.dump(params, f)
    return params


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generate", metavar="DIR")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--framework")
    ap.add_argument("--ratings")
    ap.add_argument("--out")
    ap.add_argument("--summary")
    ap.add_argument("--profiles")
    ap.add_argument("--min-group", type=int, default=3)
    ap.add_argument("--flag-threshold", type=float, default=1.0)
    ap.add_argument("--profile-fallback", choices=["profile", "cell"], default="cell")
    a = ap.parse_args(argv)
    if a.generate:
        generate(a.generate, a.seed)
        return 0
    for name in ("framework", "ratings", "out", "summary"):
        if not getattr(a, name):
            ap.error("--%s is required" % name)
    run_reference(a.framework, a.ratings, a.out, a.summary, a.min_group, a.flag_threshold,
                  a.profiles, a.profile_fallback)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
