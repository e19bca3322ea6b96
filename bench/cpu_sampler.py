"""Samples, until the process ends, what one or more CPUs did and how much of it was one process:
a JSON line per interval with the wall clock, the CPUs' busy and steal ticks (/proc/stat), the
process's own user+system ticks (/proc/PID/stat) and those of its threads by group (event loops,
Tomcat, JIT compilers, GC, the rest; /proc/PID/task/*/stat). bench/first-run.sh runs it on the
target's core beside each round, so that its report can say, second by second, whether a lagging second was the
generator's own work, other processes on its core, or the hypervisor taking the core (steal).

    python3 bench/cpu_sampler.py PID CPUS OUT [INTERVAL_S]     # CPUS as taskset takes them: 1 or 0,1
"""
import json
import os
import sys
import time


def cpu_list(spec):
    cpus = set()
    for part in spec.split(","):
        low, _, high = part.partition("-")
        cpus.update(range(int(low), int(high or low) + 1))
    return cpus


def cpu_ticks(cpus):
    busy = steal = 0
    with open("/proc/stat") as stat:
        for line in stat:
            fields = line.split()
            if not fields[0].startswith("cpu") or fields[0] == "cpu" or int(fields[0][3:]) not in cpus:
                continue
            user, nice, system, idle, iowait, irq, softirq, stolen = (int(x) for x in fields[1:9])
            busy += user + nice + system + irq + softirq
            steal += stolen
    return busy, steal


def name_and_ticks(stat_path):
    """The name and user+system ticks in a /proc/.../stat file (utime and stime, its fields 14 and 15)."""
    with open(stat_path) as stat:
        line = stat.read()
    fields = line.rsplit(")", 1)[1].split()
    return line[line.index("(") + 1:line.rindex(")")], int(fields[11]) + int(fields[12])


# Barrage's threads by what they do, from the name the kernel shows (first 15 characters)
THREAD_GROUPS = (("loops", ("barrage-loop",)), ("tomcat", ("http-nio",)), ("jit", ("C1 CompilerThre", "C2 CompilerThre")),
                 ("gc", ("VM Thread", "GC Thread", "G1 ")))


def thread_ticks(pid, last_seen, totals):
    """Adds each thread's ticks since it was last seen to its group's total (THREAD_GROUPS, the rest as
    "other") and answers the totals: they only grow, though threads come and go (a run's loops end)."""
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            name, ticks = name_and_ticks(f"/proc/{pid}/task/{task}/stat")
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended meanwhile
        group = next((g for g, prefixes in THREAD_GROUPS if name.startswith(prefixes)), "other")
        totals[group] = totals.get(group, 0) + ticks - last_seen.get(task, 0)
        last_seen[task] = ticks
    return dict(totals)


def main():
    pid, cpus, out = int(sys.argv[1]), cpu_list(sys.argv[2]), sys.argv[3]
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.1
    last_seen, totals = {}, {group: 0 for group, _ in THREAD_GROUPS + (("other", ()),)}
    with open(out, "w") as sink:
        while True:
            try:
                own = name_and_ticks(f"/proc/{pid}/stat")[1]
                threads = thread_ticks(pid, last_seen, totals)
            except (FileNotFoundError, ProcessLookupError):
                return
            busy, steal = cpu_ticks(cpus)
            sink.write(json.dumps({"t": time.time(), "busy": busy, "steal": steal, "own": own, "threads": threads}) + "\n")
            sink.flush()
            time.sleep(interval)


if __name__ == "__main__":
    main()
