"""What the same-run comparison reports of bench/*.sh share (compare-builds.sh, events-cost.sh,
scenario-cost.sh):
reading a measurement's .meta file and wrk's output, medians, number formats, tables.
The scripts' inline Python imports it with PYTHONPATH set to bench/."""
import re
import statistics


def meta(raw, name):
    """The key<TAB>value lines of RAW/<name>.meta (CPU, run-queue waits) as a dict; empty if missing."""
    out = {}
    path = raw / f"{name}.meta"
    if path.exists():
        for line in path.read_text().splitlines():
            key, _, value = line.partition("\t")
            out[key] = value
    return out


def wrk_ms(value):
    """wrk's latency text (850.00us, 1.20ms, 2s, 1m) in milliseconds; None if it is not one."""
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)] if m else None


def wrk_run(raw, name, meta_of_run):
    """A wrk reference run, from RAW/<name>.out: req/s, p99 ms, requests, errors, the target's wait."""
    text = (raw / f"{name}.out").read_text()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    requests = re.search(r"(\d+) requests in", text)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", text)
    return {"name": name, "rps": float(rps.group(1)) if rps else None,
            "p99": wrk_ms(p99.group(1)) if p99 else None,
            "requests": int(requests.group(1)) if requests else None,
            "errors": errors.group(0) if errors else "", "wait": meta_of_run.get("target_wait_ms")}


def run_problems(r):
    """What makes any Barrage measurement invalid: not COMPLETED, no throughput, failed requests."""
    out = []
    if r["status"] != "COMPLETED":
        out.append(f"status {r['status']}")
    if r["rps"] is None:
        out.append("no summary.throughput")
    if (r["failures"] or 0) > 0:
        out.append(f"{r['failures']} failed requests")
    return out


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def f(v, spec=",.0f"):
    return "-" if v is None else format(v, spec)


def x(a, b):
    return "-" if a is None or not b else f"{a / b:.3f}"


def text_table(head, rows):
    w = [max(len(str(c)) for c in col) for col in zip(head, *rows)]
    line = lambda r: "  ".join(str(c).rjust(w[i]) if i else str(c).ljust(w[i]) for i, c in enumerate(r))
    return "\n".join([line(head), line(["-" * n for n in w])] + [line(r) for r in rows])


def md_table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "--:" for i in range(len(head))) + "|"]
    return "\n".join(out + ["| " + " | ".join(str(c) for c in r) + " |" for r in rows])
