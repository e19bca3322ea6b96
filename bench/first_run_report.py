"""The report of bench/first-run.sh: one table row per round, then the medians per variant.

    PYTHONPATH=bench python3 bench/first_run_report.py bench/results/first-run-<stamp>-raw 20
"""
from collections import Counter
import json
import os
import re
import statistics
import sys
from datetime import datetime
from pathlib import Path

from cpu_sampler import THREAD_GROUPS


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def warmup_line(log):
    for line in log.read_text(errors="replace").splitlines():
        if "StartupWarmup" in line and "Warm-up" in line:
            return line.split(" : ", 1)[-1].strip()
    return "-"


CORE_COLUMNS = ("own", "others", "steal")
THREAD_COLUMNS = tuple(group for group, _ in THREAD_GROUPS) + ("other",)


def core_use(raw, name, run, seconds):
    """Per run second t (1..seconds, the timeline's points), ms of: Barrage's own CPU ("own"), other
    processes on its core(s) ("others"), steal, and Barrage's threads by group (THREAD_COLUMNS), from
    bench/cpu_sampler.py's samples; None for a second the sampler did not cover, and None without samples."""
    path = raw / f"{name}.cpu.jsonl"
    if not path.exists() or not run.get("startedAt"):
        return None
    samples = []
    for line in path.read_text().splitlines():
        if line.strip():
            sample = json.loads(line)
            samples.append({"t": sample["t"], "own": sample["own"], "busy": sample["busy"], "steal": sample["steal"],
                            **(sample.get("threads") or {})})
    start = instant(run["startedAt"]).timestamp()
    if len(samples) < 2 or samples[0]["t"] > start:
        return None
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")

    def counters_at(t):
        for before, after in zip(samples, samples[1:]):
            if before["t"] <= t <= after["t"]:
                share = (t - before["t"]) / (after["t"] - before["t"]) if after["t"] > before["t"] else 0
                return {key: before[key] + share * (after.get(key, 0) - before[key]) for key in before if key != "t"}
        return samples[-1]

    def covered(begin, end):
        """Sampled through [begin, end] without a gap over 0.5 s (the sampler can be starved on its core)."""
        inside = [x["t"] for x in samples if begin - 0.5 <= x["t"] <= end + 0.5]
        return bool(inside) and inside[0] <= begin and inside[-1] >= end and all(
            later - earlier <= 0.5 for earlier, later in zip(inside, inside[1:]))

    use = []
    for t in range(1, seconds + 1):
        if start + t > samples[-1]["t"]:
            break  # the run's tail after the process was stopped
        if not covered(start + t - 1, start + t):
            use.append(None)
            continue
        before, after = counters_at(start + t - 1), counters_at(start + t)
        ms = {key: (after[key] - before[key]) * tick_ms for key in before if key in after}
        ms["others"] = max(0.0, ms["busy"] - ms["own"])
        use.append(ms)
    return use


def per_second_table(rows, columns, headings):
    """One row per round with core figures: each column's value in every second, - where not sampled."""
    print("| variant | round | " + " | ".join(headings) + " |")
    print("|---|--:|" + "---|" * len(columns))
    for r in rows:
        if r["core"] and any(second and columns[0] in second for second in r["core"]):
            cells = [" ".join("-" if second is None else f"{second.get(column, 0):.0f}" for second in r["core"])
                     for column in columns]
            print(f"| {r['variant']} | {r['round']} | " + " | ".join(cells) + " |")


TRAP = re.compile(r"^\[([^]]+)\].*?level=4 (?:osr )?([\w.$]+)\(.*trap_bci=(\d+) (\w+)")
COMPILATION = re.compile(r"^\[([^]]+)\]\s+\d+\s+[%sbn! ]*?([0-4])\s+(\S+)\s")
SAFEPOINT = re.compile(r'^\[([^]]+)\].*Safepoint "([^"]+)".*Reaching safepoint: (\d+) ns.*At safepoint: (\d+) ns')
PAUSE_SHOWN_MS = 1.0


def logged_during(raw, name, suffix, pattern, run):
    """(seconds since the run's start, match) of each line of a JVM log (-Xlog:...:time) that matches
    `pattern` and was written while the run ran; None without the log."""
    path = raw / f"{name}.{suffix}"
    if not path.exists() or not run.get("startedAt") or not run.get("finishedAt"):
        return None
    start, end = instant(run["startedAt"]), instant(run["finishedAt"])
    found = []
    for line in path.read_text(errors="replace").splitlines():
        match = pattern.match(line)
        if match:
            at = datetime.fromisoformat(match.group(1).replace("+0000", "+00:00"))
            if start <= at <= end and "made not entrant" not in line:
                found.append(((at - start).total_seconds(), match))
    return found


def traps_during(raw, name, run):
    """The uncommon traps of optimised code while the run ran, as "Class.method@bci reason" (TRAPS=1); None without the log."""
    found = logged_during(raw, name, "traps.log", TRAP, run)
    return None if found is None else [
        f"{'.'.join(m.group(2).split('.')[-2:])}@{m.group(3)} {m.group(4)}" for _, m in found]


def compilations_during(raw, name, run):
    """The methods the JIT began to compile while the run ran (COMPILES=1), as (second of the run, tier,
    "Class::method"); None without the log."""
    found = logged_during(raw, name, "jit.log", COMPILATION, run)
    return None if found is None else [
        (int(seconds) + 1, int(m.group(2)), m.group(3).rsplit(".", 1)[-1]) for seconds, m in found]


def pauses_during(raw, name, run):
    """The safepoints that held the Java threads for more than PAUSE_SHOWN_MS while the run ran (PAUSES=1),
    as (second of the run, operation, ms from the request to stop until the VM let them go); None without
    the log. The log's own total also counts leaving the safepoint, which on one core takes as long as
    the woken threads keep the VM thread off it."""
    found = logged_during(raw, name, "safepoints.log", SAFEPOINT, run)
    if found is None:
        return None
    pauses = [(seconds, m.group(2), (int(m.group(3)) + int(m.group(4))) / 1e6) for seconds, m in found]
    return [(int(seconds) + 1, operation, ms) for seconds, operation, ms in pauses if ms > PAUSE_SHOWN_MS]


def round_row(raw, variant, round_no, live_ms, ready_ms, name, lag_limit):
    run = json.loads((raw / f"{name}.run.json").read_text())
    summary = run.get("summary") or {}
    timeline_file = raw / f"{name}.timeline.json"
    timeline = json.loads(timeline_file.read_text()) if timeline_file.exists() else []
    lags = [point.get("schedulerLagMs") for point in timeline]
    lags = [lag for lag in lags if lag is not None]
    queued_ms = (instant(run["startedAt"]) - instant(run["createdAt"])).total_seconds() * 1000 \
        if run.get("startedAt") else float("nan")
    # the generator-lag warning itself; others (a wait for connections) only point at schedulerLagMs
    lag_warnings = [w for w in run.get("warnings") or [] if "fell behind its schedule" in w]
    return {
        "variant": variant, "round": round_no, "live": int(live_ms), "ready": int(ready_ms), "queued": queued_ms,
        "status": run.get("status"), "requests": summary.get("requests", 0), "dropped": summary.get("dropped") or 0,
        "p99": (summary.get("latencyMs") or {}).get("p99", float("nan")),
        "lags": lags, "lag_max": max(lags) if lags else 0.0,
        "over": sum(1 for lag in lags if lag > lag_limit),
        "warnings": run.get("warnings") or [], "lag_warning": bool(lag_warnings),
        "warmup": warmup_line(raw / f"{name}.log"),
        "core": core_use(raw, name, run, len(lags)),
        "traps": traps_during(raw, name, run),
        "compilations": compilations_during(raw, name, run),
        "pauses": pauses_during(raw, name, run),
    }


def main():
    raw = Path(sys.argv[1])
    lag_limit = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
    rows = []
    for line in (raw / "rounds.tsv").read_text().splitlines():
        if line.strip():
            variant, round_no, live, ready, name = line.split("\t")
            rows.append(round_row(raw, variant, int(round_no), live, ready, name, lag_limit))

    print("| variant | round | liveness ms | readiness ms | queued ms | requests | dropped | p99 ms "
          f"| schedulerLagMs per second | seconds > {lag_limit:g} ms | lag warning |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|---|--:|---|")
    for r in rows:
        lags = " ".join(f"{lag:.0f}" for lag in r["lags"])
        print(f"| {r['variant']} | {r['round']} | {r['live']:,} | {r['ready']:,} | {r['queued']:,.0f} | "
              f"{r['requests']:,} | {r['dropped']:,} | {r['p99']:.1f} | {lags} | {r['over']} | "
              f"{'yes' if r['lag_warning'] else 'no'} |")
    if any(r["core"] for r in rows):
        print()
        print("What Barrage's core did in each second of the run (bench/cpu_sampler.py): Barrage's own CPU ms, other")
        print("processes' ms on that core, and steal ms (the hypervisor gave the core to another machine); - where")
        print("the sampler itself was held off its core for more than 0.5 s:")
        print()
        per_second_table(rows, CORE_COLUMNS, ("Barrage CPU ms per second", "others' ms per second", "steal ms per second"))
        if any(r["core"] and any(second and "loops" in second for second in r["core"]) for r in rows):
            print()
            print("Where Barrage's own CPU went in each second, ms by thread: the event loops, Tomcat (the API),")
            print("the JIT compilers, the collector (with the VM thread's safepoint work) and all others:")
            print()
            per_second_table(rows, THREAD_COLUMNS, THREAD_COLUMNS)
    print()
    print(f"Medians per variant (seconds over {lag_limit:g} ms: how many of the run's seconds had a larger lag):")
    print()
    print("| variant | rounds | liveness ms | readiness ms | requests | largest lag ms | seconds over | p99 ms | on schedule |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for variant in dict.fromkeys(r["variant"] for r in rows):
        mine = [r for r in rows if r["variant"] == variant]
        med = lambda key: statistics.median(r[key] for r in mine)
        on_schedule = sum(1 for r in mine if r["over"] == 0 and not r["lag_warning"] and r["status"] == "COMPLETED")
        print(f"| {variant} | {len(mine)} | {med('live'):,.0f} | {med('ready'):,.0f} | {med('requests'):,.0f} | "
              f"{med('lag_max'):,.1f} | {med('over'):g} | {med('p99'):,.1f} | {on_schedule} of {len(mine)} |")
    if any(r["traps"] is not None for r in rows):
        print()
        print("Optimised code thrown away during the run (uncommon traps, TRAPS=1), per round:")
        print()
        for r in rows:
            if r["traps"] is not None:
                counted = ", ".join(trap if count == 1 else f"{trap} × {count}"
                                    for trap, count in Counter(r["traps"]).items())
                print(f"- {r['variant']} {r['round']}: {len(r['traps'])}{': ' + counted if counted else ''}")
    if any(r["compilations"] is not None for r in rows):
        print()
        print("Compilations the JIT began during the run (COMPILES=1): per second of the run, C1 (tiers 1-3) + C2")
        print("(tier 4); then the C2 ones of the first 3 seconds, by method:")
        print()
        for r in rows:
            found = r["compilations"]
            if found is None:
                continue
            seconds = max([len(r["lags"])] + [second for second, _, _ in found])
            per_second = " ".join(
                f"{sum(1 for s, tier, _ in found if s == second and tier < 4)}"
                f"+{sum(1 for s, tier, _ in found if s == second and tier == 4)}" for second in range(1, seconds + 1))
            early = Counter(method for second, tier, method in found if tier == 4 and second <= 3)
            named = ", ".join(m if n == 1 else f"{m} × {n}" for m, n in early.most_common(12))
            more = f" and {len(early) - 12} more" if len(early) > 12 else ""
            print(f"- {r['variant']} {r['round']}: {per_second}; first 3 s in C2: {named or 'none'}{more}")
    if any(r["pauses"] is not None for r in rows):
        print()
        print(f"The JVM's pauses over {PAUSE_SHOWN_MS:g} ms during the run (PAUSES=1: safepoints, the collections among them), as")
        print("second of the run: operation and the ms the Java threads were held:")
        print()
        for r in rows:
            if r["pauses"] is not None:
                listed = ", ".join(f"{second}: {operation} {ms:.1f}" for second, operation, ms in r["pauses"])
                print(f"- {r['variant']} {r['round']}: {listed or 'none'}")
    print()
    print("The warm-up's own log line, per round:")
    print()
    for r in rows:
        print(f"- {r['variant']} {r['round']}: {r['warmup']}")
    warned = [r for r in rows if r["warnings"]]
    if warned:
        print()
        print("Warnings:")
        print()
        for r in warned:
            for warning in r["warnings"]:
                one_line = re.sub(r"\s+", " ", warning)
                print(f"- {r['variant']} {r['round']}: {one_line}")


if __name__ == "__main__":
    main()
