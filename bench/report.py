#!/usr/bin/env python3
"""Turns the raw outputs of bench/run.sh into one table (stdout), a results JSON and an SVG chart.

Called by run.sh with BENCH_* environment variables; standard library only. Reads RAW/NAME.meta
(key<TAB>value lines), RAW/NAME.out (a peer's output: wrk, hey, ab, h2load, seed) or RAW/NAME.json
(Barrage's final run) and RAW/NAME.polls (GET /tests/{id} answer times in seconds).

    python3 bench/report.py RESULTS.json [OUT.svg]

prints the table of a results JSON written before (and its chart into OUT.svg): older files, from
before a peer or a column existed, show "-" where they have no figure.
"""
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

RAW = Path(os.environ.get("BENCH_RAW", "."))
RESULTS_DIR = Path(os.environ.get("BENCH_RESULTS_DIR", "."))
NAME = os.environ.get("BENCH_RESULTS_NAME", "latest")
MB = 1024.0  # VmHWM is in kB; figures are reported in MiB ("MB")

PEERS = ("wrk", "hey", "ab", "h2load", "seed")
SCENARIOS = {
    "s1": "closed model, 100 users, immediate endpoint, 10 s",
    "s2": "closed model, 10,000 users, ~10 ms endpoint, 15 s",
    "s3": "open model, 20,000 req/s, immediate endpoint, 10 s",
}


def read_meta(name):
    meta = {}
    path = RAW / f"{name}.meta"
    if path.exists():
        for line in path.read_text().splitlines():
            key, _, value = line.partition("\t")
            meta[key] = value
    return meta


def num(text):
    return float(text) if text not in (None, "") else None


def wrk_ms(value):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        return None
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[match.group(2)]
    return float(match.group(1)) * scale


def parse_wrk(text):
    out = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = num(m.group(1)) if m else None
    for pct, key in (("50", "p50Ms"), ("99", "p99Ms")):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
        out[key] = wrk_ms(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+\w+)", text)
    out["requests"] = int(m.group(1)) if m else None
    errors = {}
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors = {k: int(v) for k, v in zip(("connect", "read", "write", "timeout"), m.groups()) if int(v)}
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors["non2xx3xx"] = int(m.group(1))
    out["errors"] = errors
    return out


def parse_hey(text):
    out = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = num(m.group(1)) if m else None
    for pct, key in (("50", "p50Ms"), ("99", "p99Ms")):
        m = re.search(rf"^\s+{pct}% in ([\d.]+) secs", text, re.M)
        out[key] = float(m.group(1)) * 1000 if m else None
    codes = {c: int(n) for c, n in re.findall(r"^\s+\[(\d{3})\]\s+(\d+) responses", text, re.M)}
    out["requests"] = sum(codes.values()) if codes else None
    out["statusCodes"] = codes
    errors = {}
    section = text.split("Error distribution:", 1)
    if len(section) == 2:
        for count, message in re.findall(r"^\s+\[(\d+)\]\s+(.*)$", section[1], re.M):
            short = re.sub(r"^.*?: ", "", message)[-80:]
            errors[short] = errors.get(short, 0) + int(count)
    out["errors"] = errors
    return out


def parse_ab(text):
    out = {}
    m = re.search(r"Requests per second:\s+([\d.]+)", text)
    out["rps"] = num(m.group(1)) if m else None
    for pct, key in (("50", "p50Ms"), ("99", "p99Ms")):
        m = re.search(rf"^\s+{pct}%\s+(\d+)", text, re.M)
        out[key] = float(m.group(1)) if m else None
    m = re.search(r"Complete requests:\s+(\d+)", text)
    out["requests"] = int(m.group(1)) if m else None
    errors = {}
    m = re.search(r"Failed requests:\s+(\d+)", text)
    if m and int(m.group(1)):
        errors["failed"] = int(m.group(1))
    m = re.search(r"Non-2xx responses:\s+(\d+)", text)
    if m:
        errors["non2xx"] = int(m.group(1))
    m = re.search(r"Keep-Alive requests:\s+(\d+)", text)
    out["keepAliveRequests"] = int(m.group(1)) if m else None
    fatal = [line for line in text.splitlines() if line.startswith("apr_") or "Total of" in line]
    if fatal:
        errors["aborted"] = " / ".join(fatal)
    out["errors"] = errors
    return out


def parse_h2load(text):
    """h2load --h1 in duration mode: 'finished in 10.00s, N req/s', the requests done, and its
    'time for request' min/max/mean/sd: it has no percentiles, so p50/p99 stay None."""
    out = {"p50Ms": None, "p99Ms": None}
    m = re.search(r"^finished in [\d.]+\w*, ([\d.]+) req/s", text, re.M)
    out["rps"] = num(m.group(1)) if m else None
    m = re.search(r"^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                  r"(\d+) errored, (\d+) timeout", text, re.M)
    errors = {}
    if m:
        out["requests"] = int(m.group(3))
        errors = {k: int(v) for k, v in zip(("failed", "errored", "timeout"), m.groups()[4:]) if int(v)}
    else:
        out["requests"] = None
    m = re.search(r"^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text, re.M)
    if m:
        out["statusCodes"] = dict(zip(("2xx", "3xx", "4xx", "5xx"), map(int, m.groups())))
        non2xx = sum(map(int, m.groups()[1:]))
        if non2xx:
            errors["non2xx"] = non2xx
    m = re.search(r"^time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", text, re.M)
    if m:
        out["latencyMinMs"], out["latencyMaxMs"], out["latencyMeanMs"], out["latencySdMs"] = (
            None if wrk_ms(v) is None else round(wrk_ms(v), 3) for v in m.groups())
    out["errors"] = errors
    return out


def parse_seed(text):
    """bench/seed/main.go: req/s of the requests completed within the duration, p50/p99 from its
    local recording of every latency; requestsAll also counts those completed after the duration
    (the CPU was spent on them too)."""
    out = {}
    m = re.search(r"^req/s: ([\d.]+)", text, re.M)
    out["rps"] = num(m.group(1)) if m else None
    m = re.search(r"^latency \(local recording[^)]*\): p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms", text, re.M)
    out["p50Ms"], out["p99Ms"], out["latencyMaxMs"] = (float(v) for v in m.groups()) if m else (None, None, None)
    m = re.search(r"^histogram: \d+ observations, p50 ([\d.]+) ms, p99 ([\d.]+) ms", text, re.M)
    if m:
        out["histogramP50Ms"], out["histogramP99Ms"] = float(m.group(1)), float(m.group(2))
    m = re.search(r"^requests: (\d+) completed within the duration, (\d+) after it, (\d+) errors, (\d+) non-2xx",
                  text, re.M)
    errors = {}
    if m:
        out["requests"] = int(m.group(1))
        out["requestsAll"] = int(m.group(1)) + int(m.group(2))
        errors = {k: int(v) for k, v in zip(("errors", "non2xx"), m.groups()[2:]) if int(v)}
        first = re.search(r"^first error: (.*)$", text, re.M)
        if first and errors.get("errors"):
            errors["first"] = first.group(1)[-120:]
    else:
        out["requests"] = None
    out["errors"] = errors
    return out


def parse_barrage(run):
    summary = run.get("summary") or {}
    latency = summary.get("latencyMs") or {}
    out = {
        "rps": summary.get("throughput"),
        "p50Ms": latency.get("p50"),
        "p99Ms": latency.get("p99"),
        "requests": summary.get("requests"),
        "failures": summary.get("failures"),
        "elapsedSeconds": summary.get("elapsedSeconds"),
        "statusCodes": summary.get("statusCodes"),
        "errors": summary.get("errors") or {},
        "warnings": run.get("warnings") or [],
        "status": run.get("status"),
    }
    if "targetRate" in summary:
        out["targetRate"] = summary.get("targetRate")
        out["delayed"] = summary.get("delayed")
        service = summary.get("serviceTimeMs") or {}
        out["serviceP99Ms"] = service.get("p99")
    return out


def measurement(name):
    meta = read_meta(name)
    if not meta:
        return None
    tool = meta["tool"]
    result = {"tool": tool, "command": meta["command"]}
    if tool == "barrage":
        run = json.loads((RAW / f"{name}.json").read_text())
        result.update(parse_barrage(run))
        result["testId"] = run.get("id")
        result["serviceVmHWMMB"] = round(int(meta["service_vmhwm_kb"]) / MB, 1)
        result["serviceVmRSSAfterMB"] = round(int(meta["service_vmrss_kb"]) / MB, 1)
        polls = RAW / f"{name}.polls"
        if polls.exists() and polls.read_text().strip():
            times = [float(t) * 1000 for t in polls.read_text().split()]
            result["getPollsMs"] = {"count": len(times), "median": round(statistics.median(times), 1),
                                    "max": round(max(times), 1), "all": [round(t, 1) for t in times]}
    else:
        text = (RAW / f"{name}.out").read_text(errors="replace")
        result.update({"wrk": parse_wrk, "hey": parse_hey, "ab": parse_ab,
                       "h2load": parse_h2load, "seed": parse_seed}[tool](text))
        result["exitCode"] = int(meta.get("exit_code", "0"))
        result["peakRssMB"] = round(int(meta.get("peak_vmhwm_kb", "0")) / MB, 1)
    if meta.get("wall_ms"):
        wall = int(meta["wall_ms"])
        result["sched"] = {
            "wallMs": wall,
            "targetCpuMs": int(meta["target_cpu_ms"]), "targetRunQueueWaitMs": int(meta["target_wait_ms"]),
            "generatorCpuMs": int(meta["generator_cpu_ms"]),
            "generatorRunQueueWaitMs": int(meta["generator_wait_ms"]),
        }
        result["targetWaitPct"] = round(100 * int(meta["target_wait_ms"]) / wall, 1)
        result["generatorWaitPct"] = round(100 * int(meta["generator_wait_ms"]) / wall, 1)
    if meta.get("generator_utime_stime_ms"):
        # the generator's own CPU (utime + stime) per request it completed
        cpu = int(meta["generator_utime_stime_ms"])
        done = result.get("requestsAll") or result.get("requests")
        result["cpuMs"] = cpu
        result["cpuUsPerRequest"] = round(cpu * 1000 / done, 2) if done else None
    result["loadAvgBefore"] = meta.get("load_before")
    result["loadAvgAfter"] = meta.get("load_after")
    result["rawOutput"] = f"{NAME}-raw/{name}.{'json' if tool == 'barrage' else 'out'}"
    for key in ("rps", "p50Ms", "p99Ms"):
        if isinstance(result.get(key), float):
            result[key] = round(result[key], 3 if key != "rps" else 1)
    return result


def median(values):
    values = [v for v in values if isinstance(v, (int, float))]
    return round(statistics.median(values), 3) if values else None


def aggregate(tool, samples):
    """Medians over the rounds (peak RSS: the maximum); every sample kept with its command."""
    out = {"tool": tool, "command": samples[0]["command"], "rounds": len(samples),
           "rps": median(s["rps"] for s in samples),
           "p50Ms": median(s.get("p50Ms") for s in samples),
           "p99Ms": median(s.get("p99Ms") for s in samples),
           "cpuUsPerRequest": median(s.get("cpuUsPerRequest") for s in samples)}
    if tool == "h2load":  # no percentiles: the medians of its mean and max instead
        out["latencyMeanMs"] = median(s.get("latencyMeanMs") for s in samples)
        out["latencyMaxMs"] = median(s.get("latencyMaxMs") for s in samples)
    if tool == "barrage":
        out["serviceVmHWMMB"] = max(s["serviceVmHWMMB"] for s in samples)
        if "targetRate" in samples[0]:
            out["targetRate"] = samples[0]["targetRate"]
            out["delayed"] = max(s.get("delayed") or 0 for s in samples)
            out["requests"] = min(s.get("requests") or 0 for s in samples)
            out["minRps"] = min(s["rps"] for s in samples)
        out["failures"] = sum(s.get("failures") or 0 for s in samples)
        out["warnings"] = [w for s in samples for w in s.get("warnings", [])]
        polls = [t for s in samples for t in (s.get("getPollsMs") or {}).get("all", [])]
        if polls:
            out["getPollsMs"] = {"count": len(polls), "median": round(statistics.median(polls), 1),
                                 "max": round(max(polls), 1)}
    else:
        out["peakRssMB"] = max(s["peakRssMB"] for s in samples)
        out["exitCodes"] = [s["exitCode"] for s in samples]
    out["targetWaitPct"] = [s.get("targetWaitPct") for s in samples]
    out["generatorWaitPct"] = [s.get("generatorWaitPct") for s in samples]
    errors = [s.get("errors") for s in samples if s.get("errors")]
    if errors:
        out["errors"] = errors
    if tool == "ab":
        out["keepAliveRequests"] = [s.get("keepAliveRequests") for s in samples]
    out["samples"] = samples
    return out


def machine():
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "nproc": os.cpu_count(),
        "cpuModel": model,
        "kernel": platform.release(),
        "memTotalMB": round(int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / MB),
        "jdk": os.environ["BENCH_JAVA_VERSION"],
        "date": os.environ["BENCH_START_DATE"],
        "loadAvgAtStart": os.environ["BENCH_START_LOAD"],
        "loadAvgAtEnd": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        "openFileLimit": int(os.environ["BENCH_NOFILE"]),
    }


def versions():
    def first_line(cmd):
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
            return (done.stdout + done.stderr).strip().splitlines()[0]
        except Exception:  # noqa: BLE001 - a missing version is not worth failing the report
            return None

    def dpkg(package):
        return first_line(["dpkg-query", "-W", "-f", "${Version}", package]) if shutil.which("dpkg-query") else None

    return {
        "nginx": first_line([os.environ.get("BENCH_NGINX", "nginx"), "-v"]),
        "wrk": first_line(["wrk", "-v"]),
        "hey": dpkg("hey"),
        "ab": first_line(["ab", "-V"]),
        "h2load": first_line(["h2load", "--version"]),
        "seed": " ".join(filter(None, [first_line(["go", "version"]),
                                      "client_golang " + (dpkg("golang-github-prometheus-client-golang-dev") or "?")])),
    }


def ratio(a, b):
    return round(a / b, 3) if a and b else None


def main():
    raw_out = RESULTS_DIR / f"{NAME}-raw"
    if raw_out.exists():
        shutil.rmtree(raw_out)
    shutil.copytree(RAW, raw_out)
    shutil.copy(os.environ["BENCH_NGINX_CONF"], raw_out / "nginx.conf")

    repeat = int(os.environ.get("BENCH_REPEAT", "1"))
    scenarios = {}
    for sid in ("s1", "s2", "s3"):
        results = []
        for tool in ("barrage",) + PEERS:
            samples = [m for m in (measurement(f"{sid}-{tool}-{r}") for r in range(1, repeat + 1)) if m]
            if samples:
                results.append(aggregate(tool, samples))
        if results:
            scenarios[sid] = {"description": SCENARIOS[sid], "rounds": repeat, "results": results}
    service = read_meta("service")

    for sid in ("s1", "s2"):
        if sid not in scenarios:
            continue
        byname = {r["tool"]: r for r in scenarios[sid]["results"]}
        barrage = byname.get("barrage")
        for peer in PEERS:
            if barrage and peer in byname:
                r = ratio(barrage["rps"], byname[peer]["rps"])
                scenarios[sid].setdefault("barrageToPeerRps", {})[peer] = r
                per_round = [ratio(b["rps"], p["rps"]) for b, p in zip(barrage["samples"], byname[peer]["samples"])]
                scenarios[sid].setdefault("barrageToPeerRpsPerRound", {})[peer] = per_round
                best = ratio(max(b["rps"] or 0 for b in barrage["samples"]),
                             max(p["rps"] or 0 for p in byname[peer]["samples"]))
                scenarios[sid].setdefault("barrageToPeerRpsBestOfRounds", {})[peer] = best

    targets = []

    def target(name, value, limit, passed, detail=""):
        targets.append({"target": name, "measured": value, "limit": limit,
                        "passed": None if passed is None else bool(passed), "detail": detail})

    s1 = {r["tool"]: r for r in scenarios.get("s1", {}).get("results", [])}
    s2 = {r["tool"]: r for r in scenarios.get("s2", {}).get("results", [])}
    s3 = {r["tool"]: r for r in scenarios.get("s3", {}).get("results", [])}
    if "barrage" in s1 and "wrk" in s1:
        r = ratio(s1["barrage"]["rps"], s1["wrk"]["rps"])
        target("100 users: Barrage >= 0.6x wrk req/s", r, ">= 0.6", r is not None and r >= 0.6,
               f"{s1['barrage']['rps']} vs {s1['wrk']['rps']} req/s")
    if "barrage" in s1 and "hey" in s1:
        r = ratio(s1["barrage"]["rps"], s1["hey"]["rps"])
        target("100 users: Barrage ahead of hey", r, "> 1.0", r is not None and r > 1.0,
               f"{s1['barrage']['rps']} vs {s1['hey']['rps']} req/s")
    if "barrage" in s2 and "wrk" in s2:
        r = ratio(s2["barrage"]["rps"], s2["wrk"]["rps"])
        target("10k users, 10 ms: Barrage >= 0.5x wrk req/s", r, ">= 0.5", r is not None and r >= 0.5,
               f"{s2['barrage']['rps']} vs {s2['wrk']['rps']} req/s")
    if "barrage" in s2:
        rss = s2["barrage"]["serviceVmHWMMB"]
        target("10k users: Barrage peak RSS (VmHWM of the JVM since start) <= 700 MB", rss, "<= 700",
               rss <= 700, "whole service, including the warm-up runs before it")
        polls = s2["barrage"].get("getPollsMs")
        if polls:
            target("GET /tests/{id} under 250 ms during the 10k-user run (max of polls)", polls["max"], "< 250",
                   polls["max"] < 250, f"median {polls['median']} ms over {polls['count']} polls")
    if "barrage" in s3:
        b = s3["barrage"]
        # every round must hold: the worst achieved rate and the worst delayed share count
        achieved = b["minRps"]
        shares = [(x.get("delayed") or 0) / x["requests"] for x in b["samples"] if x.get("requests")]
        share = max(shares) if shares else None
        holds = achieved is not None and achieved >= 0.95 * 20000 and share is not None and share < 0.01
        target("open model holds 20,000/s (achieved >= 95%) with delayed < 1%, every round",
               {"worstAchievedRps": achieved, "worstDelayedShare": None if share is None else round(share, 5)},
               "achieved >= 19000, delayed < 0.01", holds,
               f"median p99 {b['p99Ms']} ms, warnings: {b['warnings'] or 'none'}")

    report = {
        "issue": 4,
        "machine": machine(),
        "versions": versions(),
        "barrage": {"gitCommit": os.environ.get("BENCH_GIT_COMMIT"), "jarBuilt": os.environ.get("BENCH_JAR_BUILT"),
                    "java": service.get("java"), "jvmFlags": os.environ.get("BENCH_JVM_FLAGS") or "",
                    "command": os.environ["BENCH_BARRAGE_CMD"], "cpu": 1,
                    "vmHWMAtEndMB": round(int(service["vmhwm_kb_end"]) / MB, 1) if service.get("vmhwm_kb_end") else None},
        "target": {"command": os.environ["BENCH_NGINX_CMD"], "cpu": 0,
                   "config": f"{NAME}-raw/nginx.conf", "endpoints": {"/fast": "return 200", "/delay": "echo_sleep 0.01; echo ok;"}},
        "peers": "each pinned to CPU 1 with taskset, run one at a time, the order rotating each round",
        "scenarios": scenarios,
        "getPolls": s2.get("barrage", {}).get("getPollsMs"),
        "notes": "figures are medians over the rounds (peak RSS: the maximum); samples hold every round; "
                 "cpuUsPerRequest: the generator's own CPU (utime + stime, all threads) over the measurement "
                 "per request it completed, in microseconds; h2load reports no percentiles (latencyMeanMs, "
                 "latencyMaxMs instead); seed's p50/p99 come from its local recording of every latency",
        "targets": targets,
    }
    (RESULTS_DIR / f"{NAME}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS_DIR / f"{NAME}.svg").write_text(svg(ratios_of(report), report))
    print_table(report)
    print(f"\nwritten: {RESULTS_DIR / (NAME + '.json')}, {RESULTS_DIR / (NAME + '.svg')}, "
          f"raw outputs in {RESULTS_DIR / (NAME + '-raw')}/")


def ratios_of(report):
    """The chart's bars: Barrage / peer req/s of the medians, scenario by scenario."""
    out = []
    for sid in ("s1", "s2"):
        for peer, r in report["scenarios"].get(sid, {}).get("barrageToPeerRps", {}).items():
            out.append({"scenario": sid, "peer": peer, "ratio": r,
                        "label": f"{'100 users' if sid == 's1' else '10k users'} vs {peer}"})
    return out


def fmt(value, spec, width):
    return format(value, spec) if isinstance(value, (int, float)) else "-".rjust(width)


def print_table(report):
    m, b = report["machine"], report["barrage"]  # older files lack some of the fields: "-"
    print()
    print(f"machine: {m.get('nproc', '-')} x {m.get('cpuModel', '-')}, kernel {m.get('kernel', '-')}, "
          f"{m.get('jdk', '-')}, {m.get('date', '-')}")
    print(f"load average at start {m.get('loadAvgAtStart', '-')}, at end {m.get('loadAvgAtEnd', '-')}")
    print(f"Barrage: {b.get('command', '-')}")
    print(f"         commit {b.get('gitCommit', '-')}, jar built {b.get('jarBuilt', '-')}")
    print(f"JVM flags: '{b.get('jvmFlags') or '<none: JVM defaults>'}'")
    print(f"figures: medians of {max([s.get('rounds', 1) for s in report['scenarios'].values()] or [1])} rounds; "
          "B/peer = Barrage req/s / peer req/s of the medians, best = of the best rounds (noise only slows a tool "
          "down), per round in brackets; RSS = peak VmHWM (max of rounds)")
    print("CPU us/req: the generator's own CPU (utime + stime, all its threads) over the measurement, "
          "microseconds per request it completed (Barrage: the whole JVM, API polls included)")
    print("rq wait % tgt/gen: time nginx / the generator's threads were runnable but not running, % of wall time, "
          "per round.\n  nginx is alone on CPU 0, so its wait is CPU other processes took from it; the generator's "
          "also counts its own threads queueing behind each other.")
    print()
    header = (f"{'scenario':<10}{'tool':<9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'RSS MB':>8}{'CPU us/req':>11}"
              f"{'B/peer':>8}{'best':>6}  {'per round':<20}{'load per round':<16}{'rq wait % tgt/gen':<22}notes")
    print(header)
    print("-" * len(header))
    for sid, scenario in report["scenarios"].items():
        label = {"s1": "1 c100", "s2": "2 c10k", "s3": "3 open20k"}[sid]
        for r in scenario["results"]:
            rss = r.get("peakRssMB", r.get("serviceVmHWMMB")) if sid == "s2" else None
            rel = scenario.get("barrageToPeerRps", {}).get(r["tool"])
            best = scenario.get("barrageToPeerRpsBestOfRounds", {}).get(r["tool"])
            per_round = scenario.get("barrageToPeerRpsPerRound", {}).get(r["tool"])
            per_round = "[" + " ".join(fmt(x, ".2f", 4) for x in per_round) + "]" if per_round else ""
            loads = " ".join((x.get("loadAvgBefore") or "-").split()[0] for x in r["samples"])
            rqwait = " ".join(f"{fmt(x.get('targetWaitPct'), '.0f', 1)}/{fmt(x.get('generatorWaitPct'), '.0f', 1)}"
                              for x in r["samples"])
            notes = []
            if r["tool"] == "h2load":
                notes.append(f"no percentiles: mean {fmt(r.get('latencyMeanMs'), '.2f', 1)} ms, "
                             f"max {fmt(r.get('latencyMaxMs'), '.1f', 1)} ms")
            if r["tool"] == "barrage" and r.get("failures"):
                notes.append(f"failures {r['failures']}")
            if "targetRate" in r:
                notes.append(f"target {r['targetRate']}/s, worst achieved {r['minRps']}/s, "
                             f"delayed max {r['delayed']}, warnings {len(r['warnings'])}")
            if r.get("errors"):
                notes.append("errors " + json.dumps(r["errors"], separators=(",", ":"))[:100])
            if r["tool"] == "ab":
                notes.append(f"keep-alive {r.get('keepAliveRequests')}")
            if r.get("exitCodes") and any(r["exitCodes"]):
                notes.append(f"exit codes {r['exitCodes']}")
            print(f"{label:<10}{r['tool']:<9}{fmt(r.get('rps'), '9.0f', 9)}{fmt(r.get('p50Ms'), '9.2f', 9)}"
                  f"{fmt(r.get('p99Ms'), '9.2f', 9)}{fmt(rss, '8.0f', 8)}{fmt(r.get('cpuUsPerRequest'), '11.1f', 11)}"
                  f"{fmt(rel, '8.2f', 8)}{fmt(best, '6.2f', 6)}  {per_round:<20}{loads:<16}{rqwait:<22}{'; '.join(notes)}")
            for w in dict.fromkeys(r.get("warnings") or []):
                print(f"{'':<19}warning: {w}")
    polls = report.get("getPolls")
    if polls:
        print(f"\n4 GET /tests/{{id}} during the 10k-user runs: median {polls['median']} ms, "
              f"max {polls['max']} ms over {polls['count']} polls")
    print("\ntargets:")
    for t in report.get("targets", []):
        verdict = "PASS" if t["passed"] else "FAIL"
        print(f"  {verdict}  {t['target']}: {t['measured']} (limit {t['limit']}) {t['detail']}")


def esc(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg(ratios, report):
    """Horizontal bars of Barrage/peer req/s, with the 1.0 line and each scenario's target."""
    width, left, right, top, bar, gap = 760, 170, 60, 70, 26, 12
    rows = [r for r in ratios if r["ratio"] is not None]
    height = top + max(1, len(rows)) * (bar + gap) + 60
    scale_max = max([1.2] + [r["ratio"] * 1.1 for r in rows])
    plot = width - left - right

    def x(v):
        return left + plot * v / scale_max

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">'
             'Barrage / peer throughput (req/s), same run</text>',
             f'<text x="{width / 2}" y="44" text-anchor="middle" fill="#555">'
             f'{esc(report["machine"]["date"])}, {report["machine"]["nproc"]} CPUs, load {esc(report["machine"]["loadAvgAtStart"])}; '
             f'JVM flags: {esc(report["barrage"]["jvmFlags"] or "defaults")}</text>']
    step = next(s for s in (0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 1e9) if scale_max / s <= 12)  # 12 ticks at most
    for i in range(int(scale_max / step + 1e-9) + 1):
        tick = i * step
        parts.append(f'<line x1="{x(tick):.1f}" y1="{top - 8}" x2="{x(tick):.1f}" y2="{height - 45}" stroke="#eee"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{height - 30}" text-anchor="middle" fill="#555">{tick:.1f}</text>')
    for i, r in enumerate(rows):
        y = top + i * (bar + gap)
        goal = {"s1": 0.6 if r["peer"] == "wrk" else (1.0 if r["peer"] == "hey" else None),
                "s2": 0.5 if r["peer"] == "wrk" else None}[r["scenario"]]
        colour = "#4a7bd0" if goal is None else ("#3a9a4a" if r["ratio"] >= goal else "#c8402f")
        parts.append(f'<text x="{left - 8}" y="{y + bar * 0.7:.1f}" text-anchor="end">{esc(r["label"])}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{x(r["ratio"]) - left:.1f}" height="{bar}" fill="{colour}"/>')
        parts.append(f'<text x="{x(r["ratio"]) + 4:.1f}" y="{y + bar * 0.7:.1f}">{r["ratio"]:.2f}</text>')
        if goal is not None:
            parts.append(f'<line x1="{x(goal):.1f}" y1="{y - 3}" x2="{x(goal):.1f}" y2="{y + bar + 3}" '
                         'stroke="black" stroke-width="2" stroke-dasharray="4,2"/>')
    parts.append(f'<line x1="{x(1.0):.1f}" y1="{top - 8}" x2="{x(1.0):.1f}" y2="{height - 45}" stroke="#333"/>')
    parts.append(f'<text x="{left}" y="{height - 10}" fill="#555">dashed: target (0.6x wrk and &gt;1x hey at 100 users, '
                 '0.5x wrk at 10k users); green met, red missed, blue no target</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def rerender(path, svg_out=None):
    """The table (and the chart) of a results JSON written before."""
    report = json.loads(Path(path).read_text())
    print_table(report)
    if svg_out:
        Path(svg_out).write_text(svg(ratios_of(report), report))
        print(f"\nwritten: {svg_out}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        rerender(*sys.argv[1:3])
    else:
        main()
