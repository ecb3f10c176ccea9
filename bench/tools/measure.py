#!/usr/bin/python3
"""bench/tools/measure.py — runs a command N times and records its wall time and peak memory.

For each run: wall seconds (monotonic clock around fork → exit), the child's peak resident set
(ru_maxrss from os.wait4, KiB; covers the process itself — every contender here is one process,
its threads included) and its user + system CPU seconds (so CPU/wall shows how many cores it
kept busy). The child's stdout and stderr go to --log, so progress bars do not clutter the
benchmark's output. Appends one JSON object per invocation to --record:
  {"label": ..., "cmd": [...], "runs": [{"wall_s", "maxrss_kib", "user_s", "sys_s", "rc"}]}
Exits 1 (after recording) if any run exits non-zero, naming the log.

usage: measure.py --label NAME --record FILE [--repeat 3] [--log FILE] -- CMD [ARG...]
"""
import argparse
import json
import os
import subprocess
import sys
import time


def run_once(cmd, log):
    start = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    except OSError as e:  # not found, not executable: a failed run, as a shell would say
        log.write(f"measure.py: cannot run {cmd[0]}: {e.strerror}\n".encode())
        return {"wall_s": 0.0, "maxrss_kib": 0, "user_s": 0.0, "sys_s": 0.0, "rc": 127}
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return {
        "wall_s": round(wall, 4),
        "maxrss_kib": usage.ru_maxrss,
        "user_s": round(usage.ru_utime, 3),
        "sys_s": round(usage.ru_stime, 3),
        "rc": proc.returncode,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--label", required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--log", default=os.devnull)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command given")

    runs = []
    with open(args.log, "ab") as log:
        for i in range(args.repeat):
            log.write(f"=== {args.label} run {i + 1}/{args.repeat}: {' '.join(cmd)}\n".encode())
            log.flush()
            r = run_once(cmd, log)
            runs.append(r)
            cpu = (r["user_s"] + r["sys_s"]) / r["wall_s"] if r["wall_s"] > 0 else 0.0
            status = "" if r["rc"] == 0 else f"  FAILED (exit {r['rc']}, see {args.log})"
            print(f"  {args.label:<8} run {i + 1}/{args.repeat}: {r['wall_s']:8.3f} s "
                  f"{r['maxrss_kib'] / 1024:9.1f} MiB  cpu {100 * cpu:4.0f}%{status}",
                  flush=True)
            if r["rc"] != 0:
                break
    with open(args.record, "a", encoding="utf-8") as f:
        f.write(json.dumps({"label": args.label, "cmd": cmd, "runs": runs}) + "\n")
    sys.exit(0 if all(r["rc"] == 0 for r in runs) else 1)


if __name__ == "__main__":
    main()
