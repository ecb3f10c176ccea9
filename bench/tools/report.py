#!/usr/bin/python3
"""bench/tools/report.py — prints the analyse benchmark's table from measure.py's records.

Per contender: seconds (median of the runs; the first run also warms the page cache), the
fastest run, peak RSS (the largest of the runs), RSS / CSV size, CPU time / wall time (cores
kept busy) and million rows per second; then the ratios and whether the issue's goals are met:
pandas/trellis ≥ 20×, duckdb/trellis ≥ 2×, trellis peak RSS ≤ 1.5 × CSV size, trellis using
both cores (CPU/wall ≥ 1.5). Also writes the table as Markdown to --markdown.

usage: report.py --record RECORDS.jsonl --csv RATINGS.csv [--rows N] [--subjects N]
                 [--markdown OUT.md] [--crosscheck ok|failed|skipped]
"""
import argparse
import json
import os
import statistics

ORDER = ["floor", "trellis", "pandas", "duckdb"]
DESCRIPTION = {
    "floor": "read the CSV once (1 thread)",
    "trellis": "trellis analyse → JSONL + summary",
    "pandas": "pandas core figures → CSV",
    "duckdb": "DuckDB core figures → CSV",
}
# RSS values up to this are the Python launcher's own (fork before exec), not the contender's.
LAUNCHER_KIB = 16 * 1024


def summarise(record):
    runs = [r for r in record["runs"] if r["rc"] == 0]
    if len(runs) != len(record["runs"]) or not runs:
        return None
    walls = [r["wall_s"] for r in runs]
    median = statistics.median(walls)
    cpu = statistics.median((r["user_s"] + r["sys_s"]) / r["wall_s"] for r in runs)
    return {"seconds": median, "best": min(walls), "runs": len(runs),
            "rss_kib": max(r["maxrss_kib"] for r in runs), "cpu": cpu}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--record", required=True)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--rows", type=int)
    ap.add_argument("--subjects", type=int)
    ap.add_argument("--markdown")
    ap.add_argument("--crosscheck", default="skipped")
    ap.add_argument("--load", default="")
    args = ap.parse_args()

    csv_bytes = os.path.getsize(args.csv)
    results, failed = {}, []
    with open(args.record, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            s = summarise(rec)
            if s is None:
                failed.append(rec["label"])
            else:
                results[rec["label"]] = s

    lines = []
    head = (f"ratings.csv: {csv_bytes / 2**20:.1f} MiB ({csv_bytes:,} bytes)"
            + (f", {args.rows:,} rating rows" if args.rows else "")
            + (f", {args.subjects:,} subjects" if args.subjects else ""))
    lines.append(head)
    lines.append("seconds = median of the runs (the first also warms the page cache); "
                 "peak RSS = largest of the runs; CPU = (user+sys)/wall")
    if args.load:
        lines.append(f"load average before the runs: {args.load}")
    lines.append("")
    lines.append("| contender | what | seconds | fastest | peak RSS MiB | RSS/CSV | CPU | "
                 "M rows/s | × trellis |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    trellis = results.get("trellis")
    for label in ORDER + sorted(set(results) - set(ORDER)):
        s = results.get(label)
        if s is None:
            if label in failed:
                lines.append(f"| {label} | {DESCRIPTION.get(label, '')} | FAILED | | | | | | |")
            continue
        small = s["rss_kib"] <= LAUNCHER_KIB
        rss = "n/a" if small else f"{s['rss_kib'] / 1024:.0f}"
        ratio_mem = "n/a" if small else f"{s['rss_kib'] * 1024 / csv_bytes:.2f}"
        rate = f"{args.rows / s['seconds'] / 1e6:.1f}" if args.rows else ""
        vs = f"{s['seconds'] / trellis['seconds']:.2f}" if trellis else ""
        lines.append(f"| {label} | {DESCRIPTION.get(label, '')} | {s['seconds']:.3f} | "
                     f"{s['best']:.3f} | {rss} | {ratio_mem} | {s['cpu']:.2f} | {rate} | {vs} |")
    lines.append("")

    yes = lambda ok: "yes" if ok else "NO"
    if trellis:
        rss_ratio = trellis["rss_kib"] * 1024 / csv_bytes
        goals = []
        for peer, goal in (("pandas", 20.0), ("duckdb", 2.0)):
            if peer in results:
                r = results[peer]["seconds"] / trellis["seconds"]
                goals.append(f"{peer}/trellis time = {r:.2f}× (goal ≥ {goal:g}×: {yes(r >= goal)})")
        goals.append(f"trellis peak RSS / CSV size = {rss_ratio:.2f} "
                     f"(goal ≤ 1.5: {yes(rss_ratio <= 1.5)})")
        goals.append(f"trellis CPU/wall = {trellis['cpu']:.2f} cores "
                     f"(goal: both cores, ≥ 1.5: {yes(trellis['cpu'] >= 1.5)})")
        if "floor" in results:
            goals.append(f"trellis / floor (one read of the file) = "
                         f"{trellis['seconds'] / results['floor']['seconds']:.1f}×")
        lines += [f"- {g}" for g in goals]
    else:
        lines.append("- trellis: no successful run, so no ratios (see the log)")
    lines.append(f"- cross-check of the core figures: {args.crosscheck}")
    if failed:
        lines.append(f"- FAILED contenders: {', '.join(failed)}")

    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
