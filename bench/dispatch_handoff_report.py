"""The report of bench/dispatch-handoff.sh: the open-model dispatcher's hand-off rate, no-op transport.

    PYTHONPATH=bench python3 bench/dispatch_handoff_report.py RAW_DIR REPORT.md

reads RAW_DIR/params.meta and, per measurement, LAYOUT-RATE-rROUND.json (the harness's line) and
.meta (its command, loads); prints the summary on stdout and writes the markdown report.
"""
import json
import re
import sys
from pathlib import Path

from benchlib import f, md_table, median

LAYOUT_TITLES = {"one": "one core", "two": "two cores", "two-p1": "two cores, one carrier"}
LAYOUT_ORDER = list(LAYOUT_TITLES)
# a measurement is disturbed when other processes took more than this share of its pinned CPUs
DISTURBED = 0.05


def load(raw):
    runs = []
    for path in sorted(raw.glob("*.json")):
        m = re.fullmatch(r"(one|two|two-p1)-(\d+)-r(\d+)\.json", path.name)
        if not m:
            continue
        text = path.read_text().strip()
        if not text:
            continue
        r = json.loads(text.splitlines()[-1])
        meta = {}
        meta_path = raw / (path.stem + ".meta")
        if meta_path.exists():
            for line in meta_path.read_text().splitlines():
                key, _, value = line.partition("\t")
                meta[key] = value
        r.update(layout=m.group(1), round=int(m.group(3)), name=path.stem, mtime=path.stat().st_mtime, command=meta.get("command", ""),
                 load_before=meta.get("load_before", ""), busy_before=meta.get("busy_pct_before", "-"),
                 quiet_wait=meta.get("quiet_wait_s", "-"))
        wall = r.get("cpusWallMs") or r["elapsedSeconds"] * 1000 * cpu_count(r["cpus"])
        r["others_ms"] = wall - r["cpusIdleMs"] - r["processCpuMs"]
        if "machineWallMs" in r:  # the other CPUs too: on a VM two vCPUs may share a physical core or its cache
            r["machine_others_ms"] = r["machineWallMs"] - r["machineIdleMs"] - r["processCpuMs"]
            r["disturbed"] = r["machine_others_ms"] > DISTURBED * r["machineWallMs"]
        else:
            r["machine_others_ms"] = None
            r["disturbed"] = r["others_ms"] > DISTURBED * wall
        r["cpu_us_per_hit"] = r["processCpuMs"] * 1000 / r["requests"] if r["requests"] else None
        r["dispatcher_us_per_hit"] = r["dispatcherCpuMs"] * 1000 / r["requests"] if r["requests"] else None
        r["carrier_us_per_hit"] = r["carrierCpuMs"] * 1000 / r["requests"] if r["requests"] else None
        r["exact"] = r["requests"] + r["dropped"] == r["planned"]
        if r.get("dispatcherSwitches", -1) >= 0 and r["requests"]:
            r["switches_per_1k"] = (r["dispatcherSwitches"] + r["carrierSwitches"]) * 1000 / r["requests"]
        else:
            r["switches_per_1k"] = None
        runs.append(r)
    return runs


def cpu_count(cpus):
    """How many CPUs a list such as "1", "0-1" or "0,2-3" names."""
    n = 0
    for part in cpus.split(","):
        lo, _, hi = part.partition("-")
        n += int(hi or lo) - int(lo) + 1
    return n


def params(raw):
    out = {}
    path = raw / "params.meta"
    if path.exists():
        for line in path.read_text().splitlines():
            key, _, value = line.partition("\t")
            out[key] = value
    return out


def rng(values, spec=",.0f"):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    lo, hi = min(values), max(values)
    return f(lo, spec) if lo == hi else f"{f(lo, spec)}–{f(hi, spec)}"


def summary_rows(runs):
    rows = []
    groups = {}
    for r in runs:
        groups.setdefault((r["layout"], r["rate"]), []).append(r)
    for (layout, rate) in sorted(groups, key=lambda k: (LAYOUT_ORDER.index(k[0]), k[1])):
        every = groups[(layout, rate)]
        g = [r for r in every if not r["disturbed"]] or every
        med = lambda key: median([r[key] for r in g])
        achieved = med("achievedPerSecond")
        rows.append({
            "layout": layout, "rate": rate, "n": len(g), "of": len(every), "clean": not g[0]["disturbed"],
            "achieved": achieved,
            "achieved_range": rng([r["achievedPerSecond"] for r in g]),
            "share": achieved / rate if achieved is not None else None,
            "dropped": med("dropped"), "delayed": med("delayed"), "connect_delayed": med("connectDelayed"),
            "p99": med("latencyP99Ms"), "max": med("latencyMaxMs"), "lag_max": med("schedulerLagMaxMs"),
            "service_p99": med("serviceP99Ms"), "workers": med("workers"),
            "cpu_ms": med("processCpuMs"), "cpu_us": med("cpu_us_per_hit"),
            "cpu_us_range": rng([r["cpu_us_per_hit"] for r in g], ".2f"),
            "disp_us": med("dispatcher_us_per_hit"), "carrier_us": med("carrier_us_per_hit"),
            "switches": med("switches_per_1k"),
            "disp_busy": median([r["dispatcherCpuMs"] / (r["seconds"] * 1000) for r in g]),
            "others_ms": med("others_ms"), "gc": g[0]["gc"].split(" ")[0].split("+")[0],
            "exact": all(r["exact"] for r in every) and all(r["outcome"] == "COMPLETED" for r in every),
        })
    return rows


def main(raw_dir, out_path):
    raw = Path(raw_dir)
    runs = load(raw)
    if not runs:
        print(f"no measurements in {raw}", file=sys.stderr)
        return 1
    p = params(raw)
    rows = summary_rows(runs)
    seconds = runs[0]["seconds"]

    head = ["layout", "target/s", "runs", "sent/s (median)", "sent/s (range)", "sent/target", "dropped", "delayed",
            "connect-delayed", "late p99 / max ms", "lag max ms", "workers", "JVM CPU ms",
            "CPU µs/hit", "dispatcher µs/hit", "carriers µs/hit", "dispatcher busy", "switches / 1k hits", "others' CPU ms"]
    table = [[LAYOUT_TITLES[r["layout"]], f(r["rate"]), f"{r['n']}/{r['of']}" + ("" if r["clean"] else " (all disturbed)"),
              f(r["achieved"]), r["achieved_range"], f(r["share"], ".3f"),
              f(r["dropped"]), f(r["delayed"]), f(r["connect_delayed"]), f"{f(r['p99'], ',.1f')} / {f(r['max'], ',.1f')}",
              f(r["lag_max"], ",.1f"), f(r["workers"]), f(r["cpu_ms"]), f(r["cpu_us"], ".2f"), f(r["disp_us"], ".2f"),
              f(r["carrier_us"], ".2f"), f(r["disp_busy"], ".0%"), f(r["switches"], ",.0f"), f(r["others_ms"])]
             for r in rows]

    ceilings = []
    for layout in LAYOUT_ORDER:
        every = [r for r in runs if r["layout"] == layout and r["achievedPerSecond"] < 0.99 * r["rate"]]
        short = [r for r in every if not r["disturbed"]] or every
        if short:
            ceilings.append(
                f"- **{LAYOUT_TITLES[layout]}**: {f(median([r['achievedPerSecond'] for r in short]))} hits/s sent, median "
                f"of the {len(short)} measurement(s) that fell short of their rate"
                + ("" if not short[0]["disturbed"] else ", all disturbed")
                + f" (range {rng([r['achievedPerSecond'] for r in short])}); JVM CPU "
                f"{f(median([r['cpu_us_per_hit'] for r in short]), '.2f')} µs per hit sent "
                f"(range {rng([r['cpu_us_per_hit'] for r in short], '.2f')}), of which the dispatcher thread "
                f"{f(median([r['dispatcher_us_per_hit'] for r in short]), '.2f')} and the carriers "
                f"{f(median([r['carrier_us_per_hit'] for r in short]), '.2f')}")
        held = [r for r in rows if r["layout"] == layout and r["share"] is not None and r["share"] >= 0.99]
        if held:
            top = max(held, key=lambda r: r["rate"])
            ceilings.append(f"  (the highest rate it held: {f(top['rate'])}/s, {f(top['achieved'])} sent, late p99 "
                            f"{f(top['p99'], ',.1f')} ms, {f(top['cpu_us'], '.2f')} µs of JVM CPU per hit)")

    commands = []
    for layout in LAYOUT_ORDER:
        example = next((r for r in runs if r["layout"] == layout), None)
        if example:
            commands.append(f"- {LAYOUT_TITLES[layout]}: `{example['command']}`")

    out = [f"# Open-model dispatcher hand-off rate, no-op transport {p.get('stamp', '')}", "",
           f"Made by `bench/dispatch-handoff.sh` ({p.get('params', '')}); commit {p.get('commit', '?')}, "
           f"{p.get('java', '')}; {p.get('machine', '')}; load average {p.get('load_start', '?')} at the start, "
           f"{p.get('load_end', '?')} at the end.", "",
           "The real engine (LoadEngine → OpenModelRun: one platform dispatcher thread, virtual-thread workers, "
           "the idle stack, the RunRecorder sampled once a second on an AggregationLane) with a constant-rate pacer "
           "and a transport whose sessions answer 200 at once (no socket, no sleep). One fresh JVM per "
           f"measurement: an uncounted warm-up run at the same rate, then the measured run of {seconds} s.", "",
           "## Ceiling", ""] + ceilings + ["", "## Medians per layout and rate", "", md_table(head, table), "",
           f"runs: the rounds the medians are of / all rounds: a round in which other processes took more than "
           f"{DISTURBED:.0%} of all the machine's CPU time (of the pinned CPUs' in older raw data without the "
           "machine's figures) is left out, unless every round was. "
           "sent/s: requests completed / the run's duration. dropped: hits due before the end that had not been "
           "handed out by then (requests + dropped = the plan in every run: "
           + ("yes" if all(r["exact"] for r in rows) else "**NO**") + "). late p99 / max: latency from the due "
           "time (the transport takes no time, so this is how late the hits were sent; service-time p99 is "
           f"{rng([r['serviceP99Ms'] for r in runs], '.3f')} ms); once the rate is above the ceiling it grows all "
           "run long, so it says the schedule was lost, not how fast a hit goes. lag max: the largest per-second "
           "schedulerLagMs of the timeline (hits late without a counted reason). workers: open-model workers "
           "started (one session each). CPU µs/hit: the JVM's CPU during the run / requests; dispatcher and "
           "carriers: those threads' own CPU (schedstat), the rest is the collector, the JIT, the sampler. "
           "dispatcher busy: the dispatcher thread's CPU / the duration. switches / 1k hits: the context switches "
           "(voluntary and not) of the dispatcher and the carriers per thousand hits sent. others' CPU: wall time of the CPUs the "
           "JVM was pinned to, minus their idle time (/proc/stat), minus the JVM's own CPU: what other processes "
           "took of them (a shared machine); ±100 ms is noise.", "",
           "Commands (per rate and round; `<harness>` is the harness compiled into a temp dir):", ""] + commands + [
           "", "## Every measurement, in order", "",
           md_table(["measurement", "disturbed", "sent/s", "dropped", "connect-delayed", "late p99 ms", "workers", "JVM CPU ms",
                     "dispatcher CPU / wait ms", "carriers CPU / wait ms", "others' CPU ms (pinned / machine)", "GC n / ms", "CPUs busy before (waited s)", "load before"],
                    [[r["name"], "yes" if r["disturbed"] else "", f(r["achievedPerSecond"]), f(r["dropped"]), f(r["connectDelayed"]),
                      f(r["latencyP99Ms"], ",.1f"), f(r["workers"]), f(r["processCpuMs"]),
                      f"{f(r['dispatcherCpuMs'])} / {f(r['dispatcherWaitMs'])}",
                      f"{f(r['carrierCpuMs'])} / {f(r['carrierWaitMs'])}",
                      f"{f(r['others_ms'])} / {f(r['machine_others_ms'])}",
                      f"{r['gcCount']} / {r['gcMs']}", f"{r['busy_before']} % ({r['quiet_wait']})", r["load_before"]]
                     for r in sorted(runs, key=lambda r: r["mtime"])]), ""]
    Path(out_path).write_text("\n".join(out))
    print("\n".join(out[:out.index("## Every measurement, in order")]))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
