#!/usr/bin/env bash
# bench/run.sh BUILD_DIR — the benchmarks behind `make bench` (see bench/README.md).
#
# 1. bench/analyse: generates a national-scale campaign (25,000 subjects, ≈ 10 million rating
#    rows) into bench/out/ if it is not there yet, then times, in this one run, on the same
#    file: the floor (reading the file once), `trellis analyse` end to end (CSV in, JSON Lines
#    out), and the pandas and DuckDB peers computing the core figures; prints seconds, peak
#    memory and the ratios against the goals, and cross-checks the figures.
# 2. bench/spc: runs BUILD_DIR/bench/spc/bench_* when built.
# 3. bench/submit: BUILD_DIR/bench/submit/bench_submit (built when missing): durable rater
#    submissions/s and p50/p99 latency at 64 keep-alive connections on loopback (group commit),
#    next to the raw SQLite commit rate on the same disk; checks stored == acknowledged.
# 4. bench/report: BUILD_DIR/bench/report/bench_report (built when missing): a released
#    campaign of 5,000 subjects; the figures built once, the partnership heatmap (goal ≤ 200
#    ms) and subjects' report pages at 50 connections (goal p99 ≤ 20 ms).
#
# Environment: BENCH_SUBJECTS (25000), BENCH_REPEAT (3 runs per contender), BENCH_SEED,
# BENCH_MIN_GROUP (3), BENCH_ONLY (space-separated subset of: floor trellis pandas duckdb spc
# submit report).
# Needs: /usr/bin/python3 with python3-pandas, node + npm (`npm ci` installs the pinned DuckDB
# from package-lock.json when node_modules/ is missing; nothing else is downloaded).
# Exit status: 0 when every contender ran and the cross-check agrees (goals are reported, not
# enforced); 1 otherwise.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: bash bench/run.sh BUILD_DIR" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="$(cd "$1" && pwd)"
py=/usr/bin/python3  # Debian's, which has pandas (a pyenv python3 on PATH may not)
subjects="${BENCH_SUBJECTS:-25000}"
repeat="${BENCH_REPEAT:-3}"
seed="${BENCH_SEED:-20240601}"
min_group="${BENCH_MIN_GROUP:-3}"
only="${BENCH_ONLY:-floor trellis pandas duckdb spc submit report}"
wants() { [[ " $only " == *" $1 "* ]]; }
status=0

# bench/analyse, unless BENCH_ONLY names none of its contenders (body not indented).
if wants floor || wants trellis || wants pandas || wants duckdb; then
gen="$build_dir/bench/analyse/bench_gen_campaign"
floor="$build_dir/bench/analyse/bench_read_floor"
if [[ ! -x "$gen" || ! -x "$floor" ]]; then
  cmake --build "$build_dir" --target bench_gen_campaign bench_read_floor
fi

if wants duckdb && [[ ! -d node_modules/@duckdb/node-api ]]; then
  echo "== npm ci (DuckDB peer, pinned in package-lock.json)"
  npm ci --no-audit --no-fund
fi

data="bench/out/campaign-s${subjects}-seed${seed}"
framework="$data/framework.json"
ratings="$data/ratings.csv"
if [[ ! -f "$data/.complete" ]]; then
  echo "== generating $subjects subjects into $data"
  mkdir -p "$data"
  "$gen" --out "$data" --subjects "$subjects" --seed "$seed"
  touch "$data/.complete"
fi

out="bench/out/results-s${subjects}"
mkdir -p "$out"
record="$out/records.jsonl"
rm -f "$record" "$out"/*.log "$out"/report.jsonl "$out"/summary.json "$out"/pandas.csv \
  "$out"/duckdb.csv
measure() {  # measure LABEL CMD...
  local label="$1"
  shift
  "$py" bench/tools/measure.py --label "$label" --record "$record" --repeat "$repeat" \
    --log "$out/$label.log" -- "$@"
}

# A first read warms the page cache for everyone and counts the rows.
read -r csv_bytes csv_lines _ < <("$floor" "$ratings")
rows=$((csv_lines - 1))
load="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== bench/analyse: $rows rating rows, $csv_bytes bytes, $(nproc) cores, load $load"

ran_trellis=0 ran_pandas=0 ran_duckdb=0
if wants floor; then
  measure floor "$floor" "$ratings" || status=1
fi
if wants trellis; then
  if measure trellis "$build_dir/trellis" analyse --framework "$framework" --ratings "$ratings" \
    --out "$out/report.jsonl" --summary "$out/summary.json" --min-group "$min_group"; then
    ran_trellis=1
  else
    echo "  trellis analyse failed; last lines of $out/trellis.log:"
    tail -n 5 "$out/trellis.log" | sed 's/^/    /'
    status=1
  fi
fi
if wants pandas; then
  if measure pandas "$py" bench/analyse/peer_pandas.py --framework "$framework" \
    --ratings "$ratings" --out "$out/pandas.csv" --min-group "$min_group"; then
    ran_pandas=1
  else
    status=1
  fi
fi
if wants duckdb; then
  if measure duckdb node bench/analyse/peer_duckdb.mjs --framework "$framework" \
    --ratings "$ratings" --out "$out/duckdb.csv" --min-group "$min_group"; then
    ran_duckdb=1
  else
    status=1
  fi
fi

crosscheck=skipped
if ((ran_duckdb)) && ((ran_pandas || ran_trellis)); then
  echo "== cross-check of the core figures"
  args=(--duckdb "$out/duckdb.csv" --min-group "$min_group")
  compared=()
  if ((ran_pandas)); then
    args+=(--pandas "$out/pandas.csv")
    compared+=(pandas)
  fi
  if ((ran_trellis)); then
    args+=(--trellis "$out/report.jsonl")
    compared+=(trellis)
  fi
  if "$py" bench/tools/crosscheck.py "${args[@]}"; then
    crosscheck="agree (${compared[*]} vs duckdb)"
  else
    crosscheck="FAILED (see above)"
    status=1
  fi
fi

echo
echo "== bench/analyse results"
"$py" bench/tools/report.py --record "$record" --csv "$ratings" --rows "$rows" \
  --subjects "$subjects" --markdown "$out/results.md" --crosscheck "$crosscheck" --load "$load"
echo "(table also in $out/results.md; outputs and logs in $out/)"
fi

if wants spc; then
  echo
  shopt -s nullglob
  spc_bins=()
  for b in "$build_dir"/bench/spc/bench_*; do
    [[ -f "$b" && -x "$b" ]] && spc_bins+=("$b")
  done
  if ((${#spc_bins[@]})); then
    for b in "${spc_bins[@]}"; do
      echo "== bench/spc: $b"
      "$b" || status=1
    done
  else
    echo "== bench/spc: not built ($build_dir/bench/spc/bench_* missing), skipped"
  fi
fi

if wants submit; then
  echo
  submit="$build_dir/bench/submit/bench_submit"
  if [[ ! -x "$submit" ]]; then
    cmake --build "$build_dir" --target bench_submit
  fi
  # The databases go under bench/out/ (git-ignored), on the disk the project lives on; the
  # seeded database is kept there for the day's later runs.
  "$submit" --dir "$root/bench/out" --seed-cache "$root/bench/out/submit-seed" || status=1
fi

if wants report; then
  echo
  report="$build_dir/bench/report/bench_report"
  if [[ ! -x "$report" ]]; then
    cmake --build "$build_dir" --target bench_report
  fi
  "$report" --dir "$root/bench/out" || status=1
fi

exit "$status"
