"""The report of bench/memory.sh: where Barrage's memory goes, idle and at the peak of a run.

    PYTHONPATH=bench python3 bench/memory_report.py RAW_DIR REPORT.md

reads what the script left in RAW_DIR (params.meta; for each snapshot idle, mid, after: NAME.meta,
NAME.status, NAME.smaps, NAME.nmt.txt, NAME.heap_info.txt, NAME.histogram.txt; idle.flags.txt,
mid.diff.txt with MODE=diff; run.json, run.meta, run.samples.tsv), prints the key figures on stdout
and writes the markdown report. Exit status 0 when the run COMPLETED without failed requests, 3
when it did not (the memory figures are reported all the same), 1 on an error of its own.
"""
import json
import re
import sys
from pathlib import Path

import benchlib
from benchlib import f, md_table, text_table

SNAPSHOTS = ("idle", "mid", "after")
TITLES = {"idle": "idle", "mid": "mid-run", "after": "after"}


def read(path):
    return path.read_text(errors="replace") if path.exists() else ""


def mb(kb, spec=",.1f"):
    return "-" if kb is None else format(kb / 1024, spec)


# ---------------------------------------------------------------------------------------------
# Parsers
# ---------------------------------------------------------------------------------------------
CATEGORY = re.compile(r"^-\s+(.+?) \(reserved=(\d+)KB(?: [+-]\d+KB)?, committed=(\d+)KB(?: ([+-]\d+)KB)?")


def nmt(text):
    """jcmd VM.native_memory summary (or summary.diff): {"total": KB committed, "malloc": KB,
    "categories": {name: KB committed}, "deltas": {name: KB}, "threads": n, "stack": KB,
    "metaspace_used": KB}; None if the text has no NMT total."""
    total = re.search(r"^Total: reserved=\d+KB(?: [+-]\d+KB)?, committed=(\d+)KB(?: ([+-]\d+)KB)?", text, re.M)
    if not total:
        return None
    out = {"total": int(total.group(1)), "total_delta": int(total.group(2)) if total.group(2) else 0,
           "categories": {}, "deltas": {}, "threads": None, "stack": None, "metaspace_used": None}
    m = re.search(r"^\s*malloc[:=]\s*(\d+)KB(?: [+-]\d+KB)?(?: #\d+(?: [+-]\d+)?)?(?:, peak=(\d+)KB)?", text, re.M)
    out["malloc"] = int(m.group(1)) if m else None
    out["malloc_peak"] = int(m.group(2)) if m and m.group(2) else None
    current = None
    for line in text.splitlines():
        c = CATEGORY.match(line)
        if c:
            current = c.group(1).strip()
            out["categories"][current] = int(c.group(3))
            out["deltas"][current] = int(c.group(4)) if c.group(4) else 0
            continue
        if current == "Thread":
            m = re.search(r"\(threads #(\d+)", line)
            if m:
                out["threads"] = int(m.group(1))
            m = re.search(r"\(stack: reserved=\d+KB(?: [+-]\d+KB)?, committed=(\d+)KB", line)
            if m:
                out["stack"] = int(m.group(1))
        if current == "Class":
            # "(used=NKB)" under "Metadata:" and under "Class space:": metaspace's used, both parts
            m = re.search(r"\(\s*used=(\d+)KB", line)
            if m:
                out["metaspace_used"] = (out["metaspace_used"] or 0) + int(m.group(1))
    return out


def heap_info(text):
    """jcmd GC.heap_info of Serial, Parallel, G1, Shenandoah or Z: {"used": KB, "committed": KB,
    "range": (lo, hi) of the heap's reservation, or None}; None if the text is not understood."""
    used = committed = None
    g1 = re.search(r"total reserved \d+K, committed (\d+)K, used (\d+)K", text)
    gens = re.findall(r"^\S.*?\btotal (\d+)K, used (\d+)K", text, re.M)
    shen = re.search(r"(\d+)([KMG]) committed, (\d+)([KMG]) used", text)
    zgc = re.search(r"used (\d+)M, capacity (\d+)M", text)
    unit = {"K": 1, "M": 1024, "G": 1024 * 1024}
    if g1:
        committed, used = int(g1.group(1)), int(g1.group(2))
    elif gens:
        committed = sum(int(t) for t, _ in gens)
        used = sum(int(u) for _, u in gens)
    elif shen:
        committed = int(shen.group(1)) * unit[shen.group(2)]
        used = int(shen.group(3)) * unit[shen.group(4)]
    elif zgc:
        used, committed = int(zgc.group(1)) * 1024, int(zgc.group(2)) * 1024
    else:
        return None
    los, his = [], []
    for m in re.finditer(r"\[\s*(0x[0-9a-f]+)((?:\s*,\s*0x[0-9a-f]+)*)\s*\)", text):
        addrs = [int(m.group(1), 16)] + [int(a, 16) for a in re.findall(r"0x[0-9a-f]+", m.group(2))]
        if len(addrs) >= 2:
            los.append(addrs[0])
            his.append(addrs[-1])
    return {"used": used, "committed": committed, "range": (min(los), max(his)) if los else None}


def resident_in(smaps_text, lo, hi):
    """KB resident (Rss) of the mappings of /proc/PID/smaps that lie within [lo, hi)."""
    total, inside = 0, False
    for line in smaps_text.splitlines():
        m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) ", line)
        if m:
            start, end = int(m.group(1), 16), int(m.group(2), 16)
            inside = start >= lo and end <= hi
            continue
        if inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


def resident_by_mapping(smaps_text, heap_range):
    """KB resident (Rss) of /proc/PID/smaps by kind of mapping: the Java heap (within heap_range),
    other anonymous memory, libjvm.so, the CDS archive (*.jsa), the JDK's modules image, other files."""
    out = {k: 0 for k in MAPPING_KINDS}
    kind = None
    for line in smaps_text.splitlines():
        m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$", line)
        if m:
            start, end, path = int(m.group(1), 16), int(m.group(2), 16), m.group(3).strip()
            if heap_range and start >= heap_range[0] and end <= heap_range[1]:
                kind = "Java heap"
            elif not path or path.startswith("["):
                kind = "other anonymous"
            elif path.endswith("/libjvm.so"):
                kind = "libjvm.so"
            elif path.endswith(".jsa"):
                kind = "CDS archive (.jsa)"
            elif path.endswith("/lib/modules"):
                kind = "JDK modules image"
            else:
                kind = "other files"
            continue
        if kind and line.startswith("Rss:"):
            out[kind] += int(line.split()[1])
    return out


MAPPING_KINDS = ("Java heap", "other anonymous", "libjvm.so", "CDS archive (.jsa)", "JDK modules image", "other files")


def status(text):
    """/proc/PID/status: {"VmRSS": KB, "VmHWM": KB, "RssAnon": KB, "RssFile": KB, "Threads": n, ...}"""
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        parts = value.split()
        if parts and parts[0].isdigit():
            out[key] = int(parts[0])
    return out


def histogram(text):
    """jcmd GC.class_histogram: ([(rank, instances, bytes, class)], total bytes or None)"""
    rows = [(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4).strip())
            for m in re.finditer(r"^\s*(\d+):\s+(\d+)\s+(\d+)\s+(.+)$", text, re.M)]
    total = re.search(r"^Total\s+(\d+)\s+(\d+)", text, re.M)
    return rows, int(total.group(2)) if total else None


def jvm_flags(text):
    """jcmd VM.flags: the -XX:Name=value / -XX:+Name flags as a dict"""
    out = {}
    for m in re.finditer(r"-XX:([+-]?)(\w+)(?:=(\S+))?", text):
        out[m.group(2)] = m.group(3) if m.group(3) is not None else (m.group(1) != "-")
    return out


def collector(flags):
    for gc in ("SerialGC", "ParallelGC", "G1GC", "ZGC", "ShenandoahGC", "EpsilonGC"):
        if flags.get("Use" + gc) is True:
            return gc
    return "-"


def bytes_mb(v):
    return "-" if v in (None, "") else f"{int(v) / 1048576:,.0f} MB"


# ---------------------------------------------------------------------------------------------
def main(raw, report):
    params = benchlib.meta(raw, "params")
    run_meta = benchlib.meta(raw, "run")
    snap = {}
    for name in SNAPSHOTS:
        st = read(raw / f"{name}.status")
        if not st:
            snap[name] = None
            continue
        m = benchlib.meta(raw, name)
        hi = heap_info(read(raw / f"{name}.heap_info.txt"))
        resident = by_mapping = None
        smaps = read(raw / f"{name}.smaps")
        if hi and hi["range"] and smaps:
            resident = resident_in(smaps, *hi["range"])
        if smaps:
            by_mapping = resident_by_mapping(smaps, hi["range"] if hi else None)
        snap[name] = {"meta": m, "status": status(st), "nmt": nmt(read(raw / f"{name}.nmt.txt")),
                      "heap": hi, "heap_resident": resident, "by_mapping": by_mapping,
                      "histogram": histogram(read(raw / f"{name}.histogram.txt"))}

    doc = json.loads(read(raw / "run.json") or "{}")
    s = doc.get("summary") or {}
    lat = s.get("latencyMs") or {}
    run = {"name": "run", "status": doc.get("status") or run_meta.get("status"), "rps": s.get("throughput"),
           "requests": s.get("requests"), "failures": s.get("failures"), "p99": lat.get("p99"),
           "p50": lat.get("p50")}
    problems = benchlib.run_problems(run)
    if snap["mid"] is None:
        problems.append("no mid-run snapshot (the run ended first)")

    samples = []
    for line in read(raw / "run.samples.tsv").splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and all(p.isdigit() for p in parts):
            samples.append(tuple(int(p) for p in parts))
    peak_sample = max(samples, key=lambda t: t[1]) if samples else None
    max_threads = max((t[3] for t in samples), default=None)

    flags = jvm_flags(read(raw / "idle.flags.txt"))
    user_flags = params.get("jvm_flags") or ""

    def g(name, *path):
        v = snap.get(name)
        for p in path:
            if v is None:
                return None
            v = v.get(p) if isinstance(v, dict) else None
        return v

    def row(label, fn, spec=",.1f"):
        return [label] + [fn(n) if snap.get(n) else "-" for n in SNAPSHOTS]

    def outside_heap(n):
        rss, res = g(n, "status", "VmRSS"), g(n, "heap_resident")
        return mb(rss - res) if rss is not None and res is not None else "-"

    def taken_at(n):
        at = g(n, "meta", "at_ms_since_post")
        if not at:
            return "-"
        out = f(int(at) / 1000, ".1f")
        seen = run_meta.get("running_seen_ms_since_post")
        if n == "mid" and seen and params.get("seconds"):
            out += f" ({(int(seen) + int(params['seconds']) * 2000 / 3) / 1000:.1f})"
        return out

    def untracked(n):
        anon, cats = g(n, "by_mapping", "other anonymous"), g(n, "nmt", "categories")
        if anon is None or not cats:
            return "-"
        tracked = sum(v for k, v in cats.items() if k not in ("Java Heap", "Shared class space"))
        return f"{(anon - tracked) / 1024:+,.1f}"

    key_head = ["figure", "idle", "mid-run", "after"]
    key_rows = [
        row("VmRSS MB", lambda n: mb(g(n, "status", "VmRSS"))),
        row("VmHWM MB (peak RSS since start)", lambda n: mb(g(n, "status", "VmHWM"))),
        row("RssAnon / RssFile MB", lambda n: f"{mb(g(n, 'status', 'RssAnon'))} / {mb(g(n, 'status', 'RssFile'))}"),
        row("heap resident MB (smaps)", lambda n: mb(g(n, "heap_resident"))),
        row("RSS outside the heap MB", outside_heap),
        row("heap committed MB (GC.heap_info)", lambda n: mb(g(n, "heap", "committed"))),
        row("heap used MB (GC.heap_info)", lambda n: mb(g(n, "heap", "used"))),
        row("NMT committed total MB", lambda n: mb(g(n, "nmt", "total"))),
        row("NMT malloc MB (now / peak since start)",
            lambda n: f"{mb(g(n, 'nmt', 'malloc'))} / {mb(g(n, 'nmt', 'malloc_peak'))}"),
        row("anonymous RSS outside the heap MB", lambda n: mb(g(n, "by_mapping", "other anonymous"))),
        row("its part NMT does not count MB (anon - NMT non-heap, less CDS)", untracked),
        row("Metaspace used MB (metadata + class space)", lambda n: mb(g(n, "nmt", "metaspace_used"))),
        row("threads (/proc/PID/task)", lambda n: g(n, "meta", "threads") or "-"),
        row("thread stacks committed MB (NMT)", lambda n: mb(g(n, "nmt", "stack"))),
        row("histogram total MB", lambda n: mb(g(n, "histogram")[1] / 1024) if g(n, "histogram")[1] else "-"),
        row("taken at s since POST (mid-run: due at)", taken_at),
        row("jcmd ms: NMT / heap_info / histogram",
            lambda n: " / ".join(g(n, "meta", k) or "-" for k in ("nmt_ms", "heap_info_ms", "histogram_ms"))),
    ]
    hwm_after = g("after", "status", "VmHWM")
    run_rows = [
        ["peak RSS: VmHWM after the run", f"{mb(hwm_after)} MB"],
        ["largest sampled VmRSS (every 0.25 s)",
         f"{mb(peak_sample[1])} MB at {peak_sample[0] / 1000:.1f} s after the POST" if peak_sample else "-"],
        ["most threads sampled", f(max_threads, ",d") if max_threads is not None else "-"],
        ["run: status", run["status"] or "-"],
        ["run: req/s (summary.throughput)", f(run["rps"])],
        ["run: p99 / p50 ms", f"{f(run['p99'], '.1f')} / {f(run['p50'], '.1f')}"],
        ["run: requests / failures", f"{f(run['requests'], ',d') if run['requests'] is not None else '-'} / "
                                     f"{run['failures'] if run['failures'] is not None else '-'}"],
        ["JVM flags given", f"`{user_flags}`" if user_flags else "none (JVM defaults)"],
        ["collector / max heap (VM.flags)", f"{collector(flags)} / {bytes_mb(flags.get('MaxHeapSize'))}"],
        ["jar sha256", f"`{params.get('sha256', '-')[:16]}`"],
    ]

    # NMT categories, committed MB; ordered by the largest of the three
    cats = []
    for n in SNAPSHOTS:
        for c in (g(n, "nmt", "categories") or {}):
            if c not in cats:
                cats.append(c)
    val = {c: [g(n, "nmt", "categories") and g(n, "nmt", "categories").get(c) for n in SNAPSHOTS] for c in cats}
    cats.sort(key=lambda c: -max(v or 0 for v in val[c]))
    mid_total = g("mid", "nmt", "total")
    nmt_head = ["NMT category (committed MB)", "idle", "mid-run", "after", "% of mid-run total"]
    nmt_rows, small = [], [0, 0, 0]
    for c in cats:
        if max(v or 0 for v in val[c]) < 512:  # under 0.5 MB everywhere: lumped together
            small = [a + (v or 0) for a, v in zip(small, val[c])]
            continue
        mid_v = val[c][1]
        nmt_rows.append([c] + [mb(v) for v in val[c]]
                        + [f"{100 * mid_v / mid_total:.1f}" if mid_v is not None and mid_total else "-"])
    nmt_rows.append(["(each under 0.5 MB)"] + [mb(v) for v in small] + [""])
    nmt_rows.append(["**Total committed**"] + [mb(g(n, "nmt", "total")) for n in SNAPSHOTS] + ["100"])
    nmt_rows.append(["VmRSS, for comparison"] + [mb(g(n, "status", "VmRSS")) for n in SNAPSHOTS] + [""])

    def where(n):
        t = g(n, "nmt", "total")
        if not t:
            return "no NMT figures"
        c = g(n, "nmt", "categories")
        top = sorted(c.items(), key=lambda kv: -kv[1])[:4]
        parts = ", ".join(f"{k} {v / 1024:.0f} MB ({100 * v / t:.0f} %)" for k, v in top)
        rss, res = g(n, "status", "VmRSS"), g(n, "heap_resident")
        heap = ""
        if rss and res is not None:
            heap = (f"; of the {rss / 1024:.0f} MB resident, the Java heap is {res / 1024:.0f} MB "
                    f"({100 * res / rss:.0f} %), everything else {(rss - res) / 1024:.0f} MB")
        return f"NMT committed {t / 1024:.0f} MB: {parts}{heap}"

    where_lines = [f"- **{TITLES[n]}**: {where(n)}" for n in SNAPSHOTS if snap.get(n)]

    # the timeline: per whole second after the POST, the largest VmRSS sampled and its threads
    per_second = {}
    for ms, rss, hwm, threads in samples:
        sec = ms // 1000
        if sec not in per_second or rss > per_second[sec][0]:
            per_second[sec] = (rss, threads)
    timeline = " ".join(f"{sec}s:{rss / 1024:.0f}" for sec, (rss, _) in sorted(per_second.items()))

    def histo_rows(n, top):
        rows, total = g(n, "histogram") or ([], None)
        return [[str(r), cls, f(inst, ",d"), f(b / 1048576, ",.2f"), f"{100 * b / total:.1f}" if total else "-"]
                for r, inst, b, cls in rows[:top]]

    histo_head = ["#", "class", "instances", "MB", "% of histogram"]
    map_head = ["resident (smaps Rss) MB", "idle", "mid-run", "after"]
    map_rows = [[k] + [mb(g(n, "by_mapping", k)) for n in SNAPSHOTS] for k in MAPPING_KINDS]
    map_rows.append(["**VmRSS**"] + [mb(g(n, "status", "VmRSS")) for n in SNAPSHOTS])
    diff_rows = []
    d = nmt(read(raw / "mid.diff.txt"))
    if d:
        for c, delta in sorted(d["deltas"].items(), key=lambda kv: -abs(kv[1])):
            if abs(delta) >= 256:
                diff_rows.append([c, mb(d["categories"][c] - delta), mb(d["categories"][c]), f"{delta / 1024:+,.1f}"])
        diff_rows.append(["**Total**", mb(d["total"] - d["total_delta"]), mb(d["total"]), f"{d['total_delta'] / 1024:+,.1f}"])

    verdict = (f"the run {run['status']} without failed requests at {f(run['rps'])} req/s, p99 {f(run['p99'], '.0f')} ms"
               if not problems else "INVALID run: " + "; ".join(problems))
    notes = list(doc.get("warnings") or [])
    if doc.get("failureReason"):
        notes.insert(0, "failureReason: " + doc["failureReason"])
    code = 0 if not problems else 3
    title = (f"closed model, {params.get('users')} users against nginx /delay (10 ms), "
             f"{params.get('seconds')} s; JVM flags: {user_flags or 'none'}")

    print()
    print(f"Barrage memory: {title}")
    print(f"  jar: {params.get('jar')} (sha256 {params.get('sha256', '')[:12]})")
    print()
    print(text_table(key_head, key_rows))
    print()
    print(text_table(["", "value"], [[a, b.replace("`", "")] for a, b in run_rows]))
    print()
    print(text_table(nmt_head, [[c.replace("*", "") for c in r] for r in nmt_rows]))
    print()
    for line in where_lines:
        print(line.replace("**", ""))
    print()
    print(verdict)

    mode = params.get("mode", "summary")
    histo_kind = {"all": "`GC.class_histogram -all` (no collection first: unreachable objects not yet "
                         "collected count too)",
                  "live": "`GC.class_histogram` (after a full GC: live objects only)",
                  "none": "none taken (HISTOGRAM=none)"}.get(params.get("histogram"), "-")
    eff = jvm_flags(params.get("jvm_flags_effective", ""))
    shown_flags = ["UseSerialGC", "UseParallelGC", "UseG1GC", "UseZGC", "MaxHeapSize", "InitialHeapSize",
                   "MinHeapSize", "MaxMetaspaceSize", "ReservedCodeCacheSize", "ThreadStackSize",
                   "TieredStopAtLevel", "CICompilerCount", "MaxDirectMemorySize"]
    flag_rows = [[k, (str(flags[k]).lower() if isinstance(flags[k], bool) else str(flags[k])) + (f" ({bytes_mb(flags[k])})" if k.endswith("Size") and str(flags[k]).isdigit()
                                      and int(flags[k]) >= 1048576 else "")]
                 for k in shown_flags if k in flags and flags[k] is not False]
    raw_rel = f"bench/results/{raw.name}/"
    md = f"""# Barrage memory {params.get('stamp', '')}

{title}. nginx (1 worker, echo module) on CPU 0, Barrage on CPU 1, jcmd on CPU {params.get('jcmd', '').split()[2] if params.get('jcmd') else '-'};
one JVM, one run, no warm-up (the JVM is cold: req/s is below a warmed run's). Made by `bench/memory.sh`.

**{verdict}**

| jar | sha256 | modified (UTC) | repo HEAD |
|---|---|---|---|
| `{params.get('jar')}` | `{params.get('sha256')}` | {params.get('jar_mtime')} | {params.get('git_head')} |

JVM flags given (`BARRAGE_JVM_FLAGS`): `{user_flags or 'none'}`; the JVM ran with
`{params.get('jvm_flags_effective')}`.

## Key figures

idle: {params.get('rest_seconds')} s after /actuator/health answered UP ({params.get('healthy_ms')} ms after
the JVM's start); mid-run: about 2/3 of the run's duration; after: right after the final GET.

{md_table(key_head, key_rows)}

{md_table(["", "value"], run_rows)}

heap resident: the `Rss` of the heap's reservation in `/proc/PID/smaps` (its address range from
GC.heap_info); "RSS outside the heap" is the rest of VmRSS: metaspace, code, thread stacks, GC
structures, malloc, libjvm.so and the CDS archive mapped in. NMT's committed total counts memory
committed but never touched (e.g. heap committed ahead of use) and leaves out file mappings, so it
is not VmRSS. heap committed from GC.heap_info is the generations' capacity: with Serial and
Parallel it leaves out the survivor to-space, which NMT's Java Heap counts.

## Where the memory goes

{chr(10).join(where_lines)}

{md_table(map_head, map_rows)}

"other anonymous" is everything anonymous outside the heap: metaspace, class space, the code cache,
thread stacks, GC structures and malloc'd memory (NMT's categories other than Java Heap and Shared
class space); the key figures' "its part NMT does not count" row is what of it NMT does not
account for: mostly memory glibc's malloc keeps after the JVM freed it (compare NMT's malloc now
and at its peak), a negative figure NMT memory committed but not touched.

## NMT categories (committed MB, `jcmd PID VM.native_memory summary`)

{md_table(nmt_head, nmt_rows)}
{"" if not diff_rows else chr(10) + "## NMT summary.diff: mid-run against the idle baseline (MODE=diff, committed MB)" + chr(10) + chr(10) + md_table(["category", "idle", "mid-run", "change"], diff_rows) + chr(10)}
## Barrage's warnings on the run

{chr(10).join("- " + w for w in notes) or "none"}

## VmRSS during the run (MB, the largest sample of each second after the POST)

{timeline or "no samples"}

## Class histogram at mid-run, top 25 by bytes

{histo_kind}; total {mb(g('mid', 'histogram')[1] / 1024) if g('mid', 'histogram') and g('mid', 'histogram')[1] else '-'} MB;
the JVM is stopped while jcmd walks the heap ({g('mid', 'meta', 'histogram_ms') or '-'} ms for jcmd in all).

{md_table(histo_head, histo_rows("mid", 25)) if g("mid", "histogram") and g("mid", "histogram")[0] else "none"}

### Idle, top 10

{md_table(histo_head, histo_rows("idle", 10)) if g("idle", "histogram") and g("idle", "histogram")[0] else "none"}

## The JVM's choices (`jcmd PID VM.flags` at idle)

{md_table(["flag", "value"], flag_rows) if flag_rows else "none read"}

## Environment

- started {params.get('start_date')}; load average at start {params.get('start_load')}, at end {params.get('end_load')}
- java: {params.get('java')}
- Barrage: `{params.get('cmd')}`
- nginx: `{params.get('nginx_cmd')}`
- the run: `{run_meta.get('command', '')}`; the JVM's CPU time during it {run_meta.get('generator_cpu_ms', '-')} ms,
  its run-queue wait {run_meta.get('generator_wait_ms', '-')} ms (time CPU 1 was taken by something else)
- snapshots: `{params.get('jcmd')} PID VM.native_memory summary` and `GC.heap_info`; /proc/PID/status,
  smaps, task; MODE={mode}; VmRSS sampled every 0.25 s
- raw outputs: `{raw_rel}` (not in git)
"""
    report.write_text(md)
    return code


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
