#!/usr/bin/env python3
"""The report of bench/profile.sh: where the measured run's CPU went, from JFR's CPU-time samples.

usage: profile_report.py SAMPLES_JSON RUN_JSON PROCESS_CPU_MS COMMAND DEFINITION BUILD THROTTLE

SAMPLES_JSON is `jfr print --json --events jdk.CPUTimeSample,jdk.CPUTimeSamplesLost`; RUN_JSON the
measured run's GET /tests/{id}; PROCESS_CPU_MS the JVM's CPU over the run from /proc/PID/stat.
Each sample stands for one THROTTLE of a thread's CPU, so a share of samples is a share of CPU.
"""
import collections
import json
import re
import sys

TOP = 25


def frame_name(frame):
    method = frame.get("method") or {}
    owner = (method.get("type") or {}).get("name", "?")
    owner = re.sub(r"\$\$Lambda/0x[0-9a-f]+", "$$Lambda", owner.replace("/", "."))
    return f"{owner}.{method.get('name', '?')}"


def thread_group(thread):
    name = (thread or {}).get("javaName") or (thread or {}).get("osName") or "?"
    return re.sub(r"\d+", "#", name)


# What a frame on top of the stack is, by the first rule it matches: the kernel time of a system
# call shows under the native method that made it (SocketDispatcher.write0, read0, EPoll.wait: the
# top-frames table gives them alone).
KINDS = [
    ("socket read/write: the system calls and the JDK's Java around them", re.compile(r"^sun\.nio\.ch\.(IOUtil|SocketDispatcher|FileDispatcherImpl|SocketChannelImpl)\.(read|write)")),
    ("epoll: the wait and the selector's Java", re.compile(r"^sun\.nio\.ch\.(EPoll|EPollSelectorImpl)")),
    ("parking and waking threads", re.compile(r"^(jdk\.internal\.misc\.Unsafe\.(park|unpark)|java\.util\.concurrent\.locks\.LockSupport)")),
    ("HdrHistogram", re.compile(r"^org\.HdrHistogram\.")),
    ("Barrage: response parsing", re.compile(r"^dev\.barrage\.engine\.transport\.(ResponseParser|ResponseReader)")),
    ("Barrage: transport", re.compile(r"^dev\.barrage\.engine\.transport\.")),
    ("Barrage: recording", re.compile(r"^dev\.barrage\.engine\.recording\.")),
    ("Barrage: engine", re.compile(r"^dev\.barrage\.engine\.")),
    ("Barrage: service (runs, api, metrics)", re.compile(r"^dev\.barrage\.")),
    ("JDK NIO (Java side)", re.compile(r"^sun\.nio\.|^java\.nio\.")),
    ("Tomcat, Spring, Jackson", re.compile(r"^(org\.apache\.|org\.springframework\.|tools\.jackson\.|com\.fasterxml\.)")),
    ("JDK, other", re.compile(r"^(java|jdk|sun)\.")),
]


def kind_of(frame):
    for kind, pattern in KINDS:
        if pattern.search(frame):
            return kind
    return "other"


def main(argv):
    samples_path, run_path, process_cpu_ms, command, definition, build, throttle = argv[1:8]
    events = json.load(open(samples_path))["recording"]["events"]
    samples = [e["values"] for e in events if e["type"] == "jdk.CPUTimeSample"]
    lost = sum(e["values"].get("lostSamples", 0) for e in events if e["type"] == "jdk.CPUTimeSamplesLost")
    failed = sum(1 for s in samples if s.get("failed"))
    by_thread = collections.Counter()
    by_top = collections.Counter()
    by_kind = collections.Counter()
    inclusive = collections.Counter()
    for sample in samples:
        group = thread_group(sample.get("eventThread"))
        by_thread[group] += 1
        frames = ((sample.get("stackTrace") or {}).get("frames")) or []
        if not frames:
            by_top["(no Java frame: VM-internal work of " + group + ")"] += 1
            by_kind["JVM internal (no Java frame)"] += 1
            continue
        top = frame_name(frames[0])
        by_top[top] += 1
        by_kind[kind_of(top)] += 1
        for name in {frame_name(f) for f in frames if frame_name(f).startswith("dev.barrage.")}:
            inclusive[name] += 1
    total = len(samples)
    run = json.load(open(run_path))
    summary = run.get("summary", {})
    requests = summary.get("requests", 0)
    cpu_ms = int(process_cpu_ms)

    def pct(n):
        return f"{100.0 * n / total:.1f} %" if total else "-"

    out = ["# Where the run's CPU went (bench/profile.sh)", ""]
    out.append(f"- Build: {build}")
    out.append(f"- `{command}`")
    out.append(f"- Test: `{definition}`")
    out.append(f"- Run: {run.get('status')}, {requests} requests, {summary.get('throughput', '-')} req/s, "
               f"p50 {summary.get('latencyMs', {}).get('p50', '-')} ms, p99 {summary.get('latencyMs', {}).get('p99', '-')} ms")
    per_request = f"{1000.0 * cpu_ms / requests:.2f} µs" if requests else "-"
    out.append(f"- The JVM's CPU over the run (/proc/PID/stat, the run's polls included): {cpu_ms} ms, {per_request} a request")
    out.append(f"- {total} CPU-time samples, one per {throttle} of a thread's CPU ({failed} without a stack, {lost} lost)")
    out.append("")
    out.append("## By thread")
    out.append("")
    out.append("| thread | samples | share |")
    out.append("| --- | --: | --: |")
    for name, n in by_thread.most_common():
        out.append(f"| {name} | {n} | {pct(n)} |")
    out.append("")
    out.append("## By kind of work (the frame on top of the stack)")
    out.append("")
    out.append("| kind | samples | share |")
    out.append("| --- | --: | --: |")
    for name, n in by_kind.most_common():
        out.append(f"| {name} | {n} | {pct(n)} |")
    out.append("")
    out.append(f"## Top {TOP} frames on top of the stack (self)")
    out.append("")
    out.append("| frame | samples | share |")
    out.append("| --- | --: | --: |")
    for name, n in by_top.most_common(TOP):
        out.append(f"| `{name}` | {n} | {pct(n)} |")
    out.append("")
    out.append(f"## Barrage's methods, inclusive (on the stack anywhere), top {TOP}")
    out.append("")
    out.append("| method | samples | share |")
    out.append("| --- | --: | --: |")
    for name, n in inclusive.most_common(TOP):
        out.append(f"| `{name}` | {n} | {pct(n)} |")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv)
